//! Client-side checks of the spec's constraints, run before anything is sent.

use super::Error;

/// Length in characters (as JSON Schema counts) within `min..=max`.
pub fn length(
    param: &'static str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    let n = value.chars().count() as u64;
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        return Err(Error::invalid(
            param,
            format!("length {n} is outside {}", span(min, max)),
        ));
    }
    Ok(())
}

/// [`length`] for each item of a list.
pub fn lengths(
    param: &'static str,
    values: &[String],
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    values.iter().try_for_each(|v| length(param, v, min, max))
}

/// A SID of no particular type: two letters (capitals when `uppercase`), then
/// 32 hexadecimal digits.
pub fn any_sid(param: &'static str, value: &str, uppercase: bool) -> Result<(), Error> {
    let b = value.as_bytes();
    let letter = |c: &u8| {
        if uppercase {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_alphabetic()
        }
    };
    if b.len() == 34 && b[..2].iter().all(letter) && b[2..].iter().all(u8::is_ascii_hexdigit) {
        return Ok(());
    }
    Err(Error::invalid(
        param,
        format!(
            "`{value}` is not a SID: expected two {}letters, then 32 hexadecimal digits",
            if uppercase { "capital " } else { "" }
        ),
    ))
}

/// [`any_sid`] for each item of a list.
pub fn any_sids(param: &'static str, values: &[String], uppercase: bool) -> Result<(), Error> {
    values.iter().try_for_each(|v| any_sid(param, v, uppercase))
}

/// Number of items within `min..=max`.
pub fn items(
    param: &'static str,
    n: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    let n = n as u64;
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        return Err(Error::invalid(
            param,
            format!("{n} items is outside {}", span(min, max)),
        ));
    }
    Ok(())
}

/// A number against inclusive or exclusive bounds: `(bound, exclusive)`.
pub fn range<T: PartialOrd + std::fmt::Display>(
    param: &'static str,
    value: T,
    min: Option<(T, bool)>,
    max: Option<(T, bool)>,
) -> Result<(), Error> {
    // NaN compares as neither less nor greater than any bound.
    if value.partial_cmp(&value).is_none() {
        return Err(Error::invalid(param, "is not a number"));
    }
    if let Some((m, exclusive)) = &min {
        if value < *m || (*exclusive && value == *m) {
            let op = if *exclusive { ">" } else { ">=" };
            return Err(Error::invalid(param, format!("{value} is not {op} {m}")));
        }
    }
    if let Some((m, exclusive)) = &max {
        if value > *m || (*exclusive && value == *m) {
            let op = if *exclusive { "<" } else { "<=" };
            return Err(Error::invalid(param, format!("{value} is not {op} {m}")));
        }
    }
    Ok(())
}

fn span(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{any_sid, any_sids};

    #[test]
    fn an_untyped_sid_is_two_letters_and_32_hex_digits() {
        let sid = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert!(any_sid("Sid", sid, true).is_ok());
        assert!(any_sid("Sid", "caaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false).is_ok());
        assert!(any_sid("Sid", "caaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true).is_err());
        assert!(any_sid("Sid", "C1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false).is_err());
        assert!(any_sid("Sid", "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaz", false).is_err());
        assert!(any_sid("Sid", &sid[..33], false).is_err());
        let err = any_sids("Sids", &[sid.to_string(), "x".into()], true).unwrap_err();
        assert!(err.to_string().contains("Sids"), "{err}");
    }
}
