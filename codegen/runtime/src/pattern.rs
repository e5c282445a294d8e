//! The spec's `pattern`s on request parameters, checked before sending. Only
//! crates generated from specs with such patterns carry this module (and the
//! `regex` dependency); the generator has already checked that each parses.

use super::Error;
use regex::Regex;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// `value` matches `pattern` somewhere (JSON Schema's `pattern` is not anchored;
/// Twilio's patterns anchor themselves with `^…$`).
pub fn check(param: &'static str, value: &str, pattern: &'static str) -> Result<(), Error> {
    let matches = with_regex(pattern, |re| re.is_match(value))
        .map_err(|e| Error::invalid(param, format!("pattern `{pattern}` does not compile: {e}")))?;
    if matches {
        Ok(())
    } else {
        Err(Error::invalid(
            param,
            format!("`{value}` does not match `{pattern}`"),
        ))
    }
}

/// [`check`] for each item of a list.
pub fn check_each(
    param: &'static str,
    values: &[String],
    pattern: &'static str,
) -> Result<(), Error> {
    values.iter().try_for_each(|v| check(param, v, pattern))
}

/// Runs `f` with `pattern` compiled, compiling each pattern once per process.
fn with_regex<T>(pattern: &'static str, f: impl FnOnce(&Regex) -> T) -> Result<T, regex::Error> {
    static COMPILED: OnceLock<Mutex<HashMap<&'static str, Regex>>> = OnceLock::new();
    let mut compiled = COMPILED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !compiled.contains_key(pattern) {
        compiled.insert(pattern, Regex::new(pattern)?);
    }
    Ok(f(&compiled[pattern]))
}

#[cfg(test)]
mod tests {
    use super::{check, check_each};

    #[test]
    fn a_value_must_match_the_pattern() {
        assert!(check("DisplayName", "team-1", "^[a-zA-Z0-9-]+$").is_ok());
        let err = check("DisplayName", "team 1", "^[a-zA-Z0-9-]+$").unwrap_err();
        assert!(err.to_string().contains("DisplayName"), "{err}");
        assert!(check_each("Ids", &["aia_msg_1".into(), "x".into()], "^aia_msg_.+$").is_err());
        assert!(check_each("Ids", &["aia_msg_1".into()], "^aia_msg_.+$").is_ok());
    }
}
