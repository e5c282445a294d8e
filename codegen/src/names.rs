//! Rust names for spec names: `heck` for case, keywords escaped, never an invalid ident.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Reserved in every edition we target (strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is invalid): these get a `_` suffix.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// `FlexUserSid` -> `flex_user_sid`; keywords become raw identifiers (`r#type`).
pub fn snake(name: &str) -> String {
    escape(fix_leading_digit(clean(name).to_snake_case(), "n"))
}

/// `flex.v2.flex_user` -> `FlexUser` style camel case; keywords get a `_` suffix.
pub fn camel(name: &str) -> String {
    let s = fix_leading_digit(clean(name).to_upper_camel_case(), "V");
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Whether `ident` (as produced by [`snake`]) is a raw identifier.
pub fn is_raw(ident: &str) -> bool {
    ident.starts_with("r#")
}

/// The identifier without a `r#` prefix (for building derived names).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Characters outside `[A-Za-z0-9_]` separate words.
fn clean(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn fix_leading_digit(s: String, prefix: &str) -> String {
    if s.is_empty() {
        format!("{prefix}_")
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{s}")
    } else {
        s
    }
}

fn escape(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("FlexUserSid"), "flex_user_sid");
        assert_eq!(snake("Ui-Version"), "ui_version");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(snake(""), "n_");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("flex.v2.flex_user"), "FlexV2FlexUser");
        assert_eq!(camel("in-progress"), "InProgress");
        assert_eq!(camel("1"), "V1");
        assert_eq!(camel("self"), "Self_");
    }
}
