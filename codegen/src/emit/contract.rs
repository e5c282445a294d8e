//! The contract harness: a program that calls every operation of a generated
//! crate once, through its public API, with arguments derived from the spec
//! (type, format, pattern, length, range, enum), and prints one line per
//! operation: whether the server accepted the request and the response decoded.
//!
//! `cargo xtask contract` runs it against Prism serving the same spec, which
//! rejects a request that breaks the spec (400, 401, 404, 415, 422). The program
//! is emitted per version module from the IR alone, so the same code serves a
//! one-spec crate or a crate holding many specs: only the crate path differs.
//!
//! Output, one line per operation (tab-separated):
//! `CONTRACT <module> <operationId> ok` or `CONTRACT <module> <operationId> FAIL <reason>`.

use super::{ident, rust_type};
use crate::error::{Error, Result};
use crate::ir::{Api, Constraints, Location, Model, ModelKind, Param, Type, Version};
use crate::names::unraw;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The account SID the harness's client acts for (`/Accounts/{AccountSid}/…`).
pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// The harness program for the crate `krate` (its Rust name, `twilio_flex`)
/// generated from `api`: the text of a `main.rs`, starting with the generated
/// header naming `sources`.
pub fn contract_rs(api: &Api, krate: &str, sources: &[String]) -> Result<String> {
    let models: BTreeMap<(&str, &str), &Model> = api
        .versions
        .iter()
        .flat_map(|v| {
            v.models
                .iter()
                .map(move |m| ((v.module.as_str(), m.name.as_str()), m))
        })
        .collect();
    let sids: BTreeMap<&str, &str> = api
        .sids
        .iter()
        .map(|s| {
            let prefix = s.prefixes.first().map(String::as_str).unwrap_or("ZZ");
            (s.name.as_str(), prefix)
        })
        .collect();
    let values = Values { models, sids };
    let modules = api
        .versions
        .iter()
        .map(|v| values.version_mod(v))
        .collect::<Result<Vec<_>>>()?;
    let runs = api.versions.iter().map(|v| {
        let m = ident(&v.module);
        quote!(#m::run(&client, &mut report).await;)
    });
    let account = ACCOUNT_SID;
    let krate_ident = ident(krate);
    let tokens = quote! {
        #![allow(clippy::all, unused_imports)]

        /// What the run found, printed as it goes.
        struct Report;

        impl Report {
            fn record<T>(&mut self, module: &str, op: &str, result: Result<T, Error>) {
                match result {
                    Ok(_) => println!("CONTRACT\t{module}\t{op}\tok"),
                    Err(e) => {
                        let mut reason = e.to_string();
                        if let Error::Api(api) = &e {
                            if let Some(details) = &api.details {
                                reason.push_str(&format!(" {details}"));
                            }
                        }
                        let reason: String = reason
                            .chars()
                            .map(|c| if c.is_control() { ' ' } else { c })
                            .take(600)
                            .collect();
                        println!("CONTRACT\t{module}\t{op}\tFAIL\t{reason}");
                    }
                }
            }
        }

        use #krate_ident as api;
        use api::Error;

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let url = std::env::var("CONTRACT_BASE_URL")
                .expect("set CONTRACT_BASE_URL to the mock server's URL (`cargo xtask contract` does)");
            // Account credentials, and an OAuth 2 client for the operations
            // that take only an access token (fetched from the spec's tokenUrl
            // on the mock server, as from Twilio).
            let credentials = api::Credentials::auth_token(#account, "contract-token")
                .with_client_credentials("contract-client", "contract-secret");
            let client = api::Client::builder(credentials)
                .base_url(url)
                .build()
                .expect("a client for CONTRACT_BASE_URL");
            let mut report = Report;
            #(#runs)*
        }

        #(#modules)*
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            "contract.rs",
            "",
            format!("generator bug: the contract harness does not parse: {e}"),
        )
    })?;
    Ok(format!(
        "// {} from {}. Do not edit: changes are overwritten.\n{}",
        super::GENERATED_MARKER,
        sources.join(", "),
        prettyplease::unparse(&file)
    ))
}

struct Values<'a> {
    models: BTreeMap<(&'a str, &'a str), &'a Model>,
    sids: BTreeMap<&'a str, &'a str>,
}

impl Values<'_> {
    /// `mod <version> { pub async fn run(…); async fn <resource>_<op>(…) … }`.
    fn version_mod(&self, v: &Version) -> Result<TokenStream> {
        let m = ident(&v.module);
        let module = unraw(&v.module);
        let mut calls = vec![];
        let mut fns = vec![];
        for r in &v.resources {
            for op in &r.operations {
                let f = format_ident!("{}__{}", unraw(&r.name), unraw(&op.fn_name));
                let res = ident(&r.name);
                let opf = ident(&op.fn_name);
                // An accessor parameter this operation constrains more (a SID
                // where the accessor takes text) gets a value for the stricter one.
                let accessor = r
                    .accessor_params()
                    .map(|p| {
                        let strict = op.path_checks.iter().find(|c| c.wire_name == p.wire_name);
                        match strict {
                            Some(c) if p.ty == Type::String => self.text_for(c),
                            _ => self.param_value(p),
                        }
                    })
                    .collect::<Result<Vec<_>>>()?;
                let args = op
                    .params
                    .iter()
                    .filter(|p| p.required)
                    .map(|p| self.param_value(p))
                    .collect::<Result<Vec<_>>>()?;
                // A body with no required member is still a body the operation
                // expects (Prism refuses an empty one where the spec requires
                // it): such calls set every optional body member instead.
                let no_required_body = !op
                    .params
                    .iter()
                    .any(|p| p.required && p.location == Location::Body);
                let setters = op
                    .params
                    .iter()
                    .filter(|p| !p.required && p.location == Location::Body && no_required_body)
                    .map(|p| {
                        let n = ident(&p.rust_name);
                        self.param_value(p).map(|v| quote!(.#n(#v)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let id = &op.id;
                fns.push(quote! {
                    #[allow(non_snake_case)]
                    async fn #f(client: &api::Client) -> Result<(), Error> {
                        client.#m().#res(#(#accessor),*).#opf(#(#args),*)#(#setters)*.send().await.map(|_| ())
                    }
                });
                calls.push(quote!(report.record(#module, #id, #f(client).await);));
            }
        }
        Ok(quote! {
            mod #m {
                use super::{api, Error, Report};
                use api::prelude::*;

                pub async fn run(client: &api::Client, report: &mut Report) {
                    #(#calls)*
                }

                #(#fns)*
            }
        })
    }

    /// A value for a parameter that satisfies its declared constraints.
    fn param_value(&self, p: &Param) -> Result<TokenStream> {
        match &p.ty {
            Type::String => {
                let s = string_value(&p.constraints, p.format.as_deref());
                Ok(quote!(#s))
            }
            Type::I32 | Type::I64 | Type::F64 => Ok(number(&p.ty, &p.constraints)),
            Type::Array(item) => {
                if p.constraints.max_items == Some(0) {
                    return Ok(quote!(Vec::new()));
                }
                let one = match &**item {
                    Type::String => {
                        let s = string_value(&p.constraints, p.format.as_deref());
                        quote!(String::from(#s))
                    }
                    Type::I32 | Type::I64 | Type::F64 => number(item, &p.constraints),
                    other => self.value(other, p.format.as_deref())?,
                };
                let n = p.constraints.min_items.unwrap_or(1).max(1) as usize;
                let items = std::iter::repeat_n(one, n);
                Ok(quote!(vec![#(#items),*]))
            }
            other => self.value(other, p.format.as_deref()),
        }
    }

    /// Text satisfying the stricter declaration `c` of a text parameter.
    fn text_for(&self, c: &Param) -> Result<TokenStream> {
        let s = match &c.ty {
            Type::Sid(name) => sid(self.sids.get(name.as_str()).copied().unwrap_or("ZZ")),
            _ => string_value(&c.constraints, c.format.as_deref()),
        };
        Ok(quote!(#s))
    }

    /// A value of exactly the Rust type of `ty` (as a struct field holds it).
    fn value(&self, ty: &Type, format: Option<&str>) -> Result<TokenStream> {
        Ok(match ty {
            Type::String => {
                let s = string_value(&Constraints::default(), format);
                quote!(String::from(#s))
            }
            Type::I32 | Type::I64 | Type::F64 => number(ty, &Constraints::default()),
            Type::Bool => quote!(true),
            Type::DateTime | Type::DateTimeRfc2822 => {
                quote!(time::macros::datetime!(2024-01-02 03:04:05 UTC))
            }
            Type::Date => quote!(time::macros::date!(2024 - 01 - 02)),
            Type::Sid(name) => {
                let prefix = self.sids.get(name.as_str()).copied().unwrap_or("ZZ");
                let s = sid(prefix);
                let n = ident(name);
                quote!(api::sids::#n::parse(#s).map_err(|e| e.for_param("contract harness"))?)
            }
            Type::Model { module, name } => {
                let model = self
                    .models
                    .get(&(module.as_str(), name.as_str()))
                    .ok_or_else(|| {
                        Error::new(
                            "contract.rs",
                            "",
                            format!("generator bug: no model {module}::{name} in the IR"),
                        )
                    })?;
                let path = rust_type(ty, "");
                // `crate::…` in the crate is `api::…` here.
                let path: TokenStream = path
                    .to_string()
                    .replacen("crate", "api", 1)
                    .parse()
                    .map_err(|_| {
                        Error::new(
                            "contract.rs",
                            "",
                            "generator bug: a type path does not parse",
                        )
                    })?;
                match &model.kind {
                    ModelKind::Enum { values } => match values.first() {
                        Some(v) => {
                            let var = ident(&v.variant);
                            quote!(#path::#var)
                        }
                        None => quote!(#path::from("value")),
                    },
                    ModelKind::Struct { fields } => {
                        let args = fields
                            .iter()
                            .filter(|f| !f.optional)
                            .map(|f| self.value(&f.ty, f.format.as_deref()))
                            .collect::<Result<Vec<_>>>()?;
                        quote!(#path::new(#(#args),*))
                    }
                    ModelKind::OneOf { variants, .. } => {
                        let Some(first) = variants.first() else {
                            return Ok(quote!(#path::Other(serde_json::json!({}))));
                        };
                        let var = ident(&first.name);
                        let inner = self.value(&first.ty, None)?;
                        if first.boxed {
                            quote!(#path::#var(Box::new(#inner)))
                        } else {
                            quote!(#path::#var(#inner))
                        }
                    }
                }
            }
            Type::Array(item) => {
                let one = self.value(item, format)?;
                quote!(vec![#one])
            }
            Type::Map(_) => quote!(std::collections::BTreeMap::new()),
            Type::Any => quote!(serde_json::json!({})),
            Type::CollapsibleMap { .. } => quote!(std::collections::BTreeMap::from([(
                String::from("key"),
                serde_json::Value::from("value")
            )])),
        })
    }
}

/// A SID with `prefix`: the prefix, then 32 hexadecimal digits.
fn sid(prefix: &str) -> String {
    format!("{prefix}{}", "0123456789abcdef".repeat(2))
}

/// Text satisfying the parameter's SID shape, pattern, format and length.
fn string_value(c: &Constraints, format: Option<&str>) -> String {
    // Uppercase letters satisfy both shapes of an untyped SID.
    if c.any_sid.is_some() {
        return sid("AC");
    }
    // A pattern no text matches (lowering has already checked that it parses)
    // gets the plain value: Prism's verdict then names the parameter.
    if let Some(text) = c.pattern.as_deref().and_then(matching) {
        return text;
    }
    let mut s = match format {
        Some("uri") | Some("url") => "https://example.com/contract".to_string(),
        Some("email") => "contract@example.com".to_string(),
        Some("phone-number") => "+15005550006".to_string(),
        Some("iso-country-code") => "US".to_string(),
        Some("currency") => "USD".to_string(),
        Some("http-method") => "POST".to_string(),
        Some("date-time") => "2024-01-02T03:04:05Z".to_string(),
        Some("date") => "2024-01-02".to_string(),
        _ => "contract".to_string(),
    };
    if let Some(min) = c.min_length {
        while (s.chars().count() as u64) < min {
            s.push('x');
        }
    }
    if let Some(max) = c.max_length {
        s = s.chars().take(max as usize).collect();
    }
    s
}

/// A number within the declared range: its minimum (or just above an exclusive
/// one), else its maximum (or just below), else 1.
fn number(ty: &Type, c: &Constraints) -> TokenStream {
    let parse = |b: &crate::ir::Bound| b.value.parse::<f64>().ok().map(|v| (v, b.exclusive));
    let step = if matches!(ty, Type::F64) { 0.5 } else { 1.0 };
    let v = match (
        c.minimum.as_ref().and_then(parse),
        c.maximum.as_ref().and_then(parse),
    ) {
        (Some((min, ex)), _) => {
            if ex {
                min + step
            } else {
                min
            }
        }
        (None, Some((max, ex))) => {
            let v = if max >= 1.0 { 1.0 } else { max };
            if ex && v >= max {
                max - step
            } else {
                v
            }
        }
        (None, None) => 1.0,
    };
    let lit = match ty {
        Type::I32 => Literal::i32_suffixed(v as i32),
        Type::I64 => Literal::i64_suffixed(v as i64),
        _ => Literal::f64_suffixed(v),
    };
    quote!(#lit)
}

/// The shortest text the regular expression `pattern` matches (taking the first
/// alternative and character of each choice), or `None` when it cannot be parsed
/// or matches nothing.
pub fn matching(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn walk(h: &Hir, out: &mut String) -> Option<()> {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => out.push_str(std::str::from_utf8(&l.0).ok()?),
            HirKind::Class(Class::Unicode(c)) => {
                // Prefer a letter or digit when the class has one (`.` starts at NUL).
                let pick = c
                    .iter()
                    .flat_map(|r| [r.start(), r.end()])
                    .find(|ch| ch.is_ascii_alphanumeric())
                    .or_else(|| {
                        c.iter()
                            .find_map(|r| ('a'..='z').find(|ch| (r.start()..=r.end()).contains(ch)))
                    })
                    .or_else(|| c.iter().next().map(|r| r.start()))?;
                out.push(pick);
            }
            HirKind::Class(Class::Bytes(c)) => out.push(char::from(c.iter().next()?.start())),
            HirKind::Repetition(r) => {
                for _ in 0..r.min {
                    walk(&r.sub, out)?;
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out)?,
            HirKind::Concat(hs) => {
                for h in hs {
                    walk(h, out)?;
                }
            }
            HirKind::Alternation(hs) => walk(hs.first()?, out)?,
        }
        Some(())
    }
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    walk(&hir, &mut out)?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::matching;

    #[test]
    fn builds_text_that_matches_the_catalogues_patterns() {
        for p in [
            "^BU[0-9a-fA-F]{32}(,BU[0-9a-fA-F]{32}){0,19}$",
            "^aia_asst_.+$",
            "^[0-9abcdefghjkmnpqrstvwxyz]{26}$",
            "^(STOP|START|HELP)\\.(ALL|AFRIKAANS)$",
            "^[A-Z0-9]{6}$",
            "US[0-9a-f]{32}",
            "^\\+?[1-9]\\d{1,14}$",
        ] {
            let text = matching(p).unwrap();
            // Checked with the matcher the generated client uses.
            let re = regex::Regex::new(&format!("^(?:{p})$")).unwrap();
            assert!(re.is_match(&text), "{p}: {text:?} does not match");
        }
        assert_eq!(matching("^aia_asst_.+$").unwrap(), "aia_asst_a");
        assert_eq!(matching("^[A-Z0-9]{6}$").unwrap(), "000000");
        assert_eq!(matching("(STOP|START)\\.ALL").unwrap(), "STOP.ALL");
        assert_eq!(matching("(unclosed"), None);
    }
}
