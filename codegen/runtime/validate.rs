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
