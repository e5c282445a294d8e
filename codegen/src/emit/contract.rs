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
use crate::ir::{
    Api, BodyEncoding, Constraints, Location, Model, ModelKind, Operation, Param, Type, Version,
};
use crate::names::unraw;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The account SID the harness's client acts for (`/Accounts/{AccountSid}/…`).
pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// The auth token of the harness's client.
const AUTH_TOKEN: &str = "contract-token";

/// The harness program and where its arguments come from.
#[derive(Debug, Clone, Default)]
pub struct Harness {
    /// The text of a `main.rs`, starting with the generated header.
    pub text: String,
    /// Arguments (per operation and parameter) the harness sets.
    pub arguments: usize,
    /// Of those, how many are the spec's example for the parameter.
    pub from_examples: usize,
    /// Examples not used, each `operationId parameter: why` (not valid for the
    /// parameter's declaration, or of a type the harness builds no example of).
    pub examples_not_used: Vec<String>,
}

/// The harness program for the crate `krate` (its Rust name, `twilio_flex`)
/// generated from `api`: the text of a `main.rs`, starting with the generated
/// header naming `sources`.
pub fn contract_rs(api: &Api, krate: &str, sources: &[String]) -> Result<String> {
    harness(api, krate, sources).map(|h| h.text)
}

/// [`contract_rs`], with the count of arguments taken from the spec's examples.
pub fn harness(api: &Api, krate: &str, sources: &[String]) -> Result<Harness> {
    let models = super::model::models_by_name(api);
    let sids: BTreeMap<&str, &str> = api
        .sids
        .iter()
        .map(|s| {
            let prefix = s.prefixes.first().map(String::as_str).unwrap_or("ZZ");
            (s.name.as_str(), prefix)
        })
        .collect();
    let sid_prefixes: BTreeMap<&str, &[String]> = api
        .sids
        .iter()
        .map(|s| (s.name.as_str(), s.prefixes.as_slice()))
        .collect();
    let values = Values {
        models,
        sids,
        sid_prefixes,
        stats: RefCell::new(Harness::default()),
    };
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
    let token = AUTH_TOKEN;
    let krate_ident = ident(krate);
    let tokens = quote! {
        #![allow(clippy::all, unused_imports)]

        /// What the run found, printed as it goes.
        struct Report;

        impl Report {
            /// `result` is the operation's, or which call failed and how.
            fn record(&mut self, module: &str, op: &str, result: Result<(), (&str, Error)>) {
                match result {
                    Ok(()) => println!("CONTRACT\t{module}\t{op}\tok"),
                    Err((call, e)) => {
                        let mut reason = format!("[{call}] {e}");
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
            let credentials = api::Credentials::auth_token(#account, #token)
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
    let mut out = values.stats.into_inner();
    out.text = format!(
        "// {} from {}. Do not edit: changes are overwritten.\n{}",
        super::GENERATED_MARKER,
        sources.join(", "),
        prettyplease::unparse(&file)
    );
    Ok(out)
}

struct Values<'a> {
    models: BTreeMap<(&'a str, &'a str), &'a Model>,
    /// Each SID type's first prefix (what the harness builds), and all of them.
    sids: BTreeMap<&'a str, &'a str>,
    sid_prefixes: BTreeMap<&'a str, &'a [String]>,
    /// Counted as arguments are chosen.
    stats: RefCell<Harness>,
}

impl Values<'_> {
    /// `mod <version> { pub async fn run(…); async fn <resource>_<op>(…) … }`.
    ///
    /// Each operation is called with its required arguments only, then (when
    /// it has optional parameters) again with every optional parameter set too:
    /// the first proves that what is left out is not sent wrongly, the second
    /// the wire format of every optional parameter.
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
                            Some(c) if p.ty == Type::String => self.text_for(&op.id, c),
                            _ => self.argument(&op.id, p),
                        }
                    })
                    .collect::<Result<Vec<_>>>()?;
                let args = op
                    .params
                    .iter()
                    .filter(|p| p.required)
                    .map(|p| self.argument(&op.id, p))
                    .collect::<Result<Vec<_>>>()?;
                // A body with no required member is still a body the operation
                // expects (Prism refuses an empty one where the spec requires
                // it): such calls set every optional body member even in the
                // first call.
                let no_required_body = !op
                    .params
                    .iter()
                    .any(|p| p.required && p.location == Location::Body);
                let mut first = vec![];
                let mut every = vec![];
                for p in op.params.iter().filter(|p| !p.required) {
                    let n = ident(&p.rust_name);
                    let v = match client_header(op, p) {
                        Some(v) => {
                            self.stats.borrow_mut().arguments += 1;
                            quote!(#v)
                        }
                        None => self.argument(&op.id, p)?,
                    };
                    let setter = quote!(.#n(#v));
                    if p.location == Location::Body && no_required_body {
                        first.push(setter.clone());
                    }
                    every.push(setter);
                }
                let second = (every.len() > first.len()).then(|| {
                    quote! {
                        async {
                            client.#m().#res(#(#accessor),*).#opf(#(#args),*)#(#every)*.send().await?;
                            Ok::<(), Error>(())
                        }
                        .await
                        .map_err(|e| ("every optional parameter set", e))?;
                    }
                });
                let id = &op.id;
                fns.push(quote! {
                    #[allow(non_snake_case)]
                    async fn #f(client: &api::Client) -> Result<(), (&'static str, Error)> {
                        async {
                            client.#m().#res(#(#accessor),*).#opf(#(#args),*)#(#first)*.send().await?;
                            Ok::<(), Error>(())
                        }
                        .await
                        .map_err(|e| ("required arguments", e))?;
                        #second
                        Ok(())
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

    /// The argument for `p` in a call of operation `op`: the spec's example
    /// when the harness can build it and it is valid for the declaration,
    /// else a value derived from the declaration. Counted either way.
    fn argument(&self, op: &str, p: &Param) -> Result<TokenStream> {
        self.stats.borrow_mut().arguments += 1;
        if let Some(text) = &p.example {
            match self.example_value(p, text) {
                Ok(v) => {
                    self.stats.borrow_mut().from_examples += 1;
                    return Ok(v);
                }
                Err(why) => self.stats.borrow_mut().examples_not_used.push(format!(
                    "{op} {}: example `{}` {why}",
                    p.wire_name,
                    text.chars().take(80).collect::<String>()
                )),
            }
        }
        self.param_value(p)
    }

    /// The Rust expression of the example `text` (JSON) for `p`, or why it is
    /// not used.
    fn example_value(&self, p: &Param, text: &str) -> std::result::Result<TokenStream, String> {
        let example: serde_json::Value =
            serde_json::from_str(text).map_err(|_| "is not JSON".to_string())?;
        match &p.ty {
            Type::Array(item) => {
                let items = match example {
                    serde_json::Value::Array(items) => items,
                    one => vec![one],
                };
                let n = items.len() as u64;
                if n == 0 {
                    return Err("is an empty list".into());
                }
                if p.constraints.min_items.is_some_and(|min| n < min)
                    || p.constraints.max_items.is_some_and(|max| n > max)
                {
                    return Err("has a number of items outside the declared range".into());
                }
                let items = items
                    .iter()
                    .map(|e| {
                        let v = self.example_of(item, &p.constraints, p.format.as_deref(), e)?;
                        // A list of text is a list of `String`.
                        Ok(if **item == Type::String {
                            quote!(String::from(#v))
                        } else {
                            v
                        })
                    })
                    .collect::<std::result::Result<Vec<_>, String>>()?;
                Ok(quote!(vec![#(#items),*]))
            }
            ty => self.example_of(ty, &p.constraints, p.format.as_deref(), &example),
        }
    }

    /// The expression of one example value of type `ty`, valid for the
    /// constraints `c` (for text, its pattern, length and SID shape; for
    /// numbers, the range), or why not.
    fn example_of(
        &self,
        ty: &Type,
        c: &Constraints,
        format: Option<&str>,
        e: &serde_json::Value,
    ) -> std::result::Result<TokenStream, String> {
        use serde_json::Value;
        let text = || {
            e.as_str()
                .ok_or_else(|| format!("is not text (the parameter is {})", type_name(ty)))
        };
        match ty {
            Type::String => {
                let s = text()?;
                valid_text(s, c, format)?;
                Ok(quote!(#s))
            }
            Type::I32 | Type::I64 => {
                let n = e.as_i64().ok_or_else(|| "is not an integer".to_string())?;
                if *ty == Type::I32 && i32::try_from(n).is_err() {
                    return Err("is outside the 32-bit range".into());
                }
                in_range(n as f64, c)?;
                let lit = if *ty == Type::I32 {
                    Literal::i32_suffixed(n as i32)
                } else {
                    Literal::i64_suffixed(n)
                };
                Ok(quote!(#lit))
            }
            Type::F64 => {
                let n = e.as_f64().ok_or_else(|| "is not a number".to_string())?;
                in_range(n, c)?;
                let lit = Literal::f64_suffixed(n);
                Ok(quote!(#lit))
            }
            Type::Bool => match e {
                Value::Bool(b) => Ok(quote!(#b)),
                _ => Err("is not a boolean".into()),
            },
            Type::Sid(name) => {
                let s = text()?;
                let prefixes = self.sid_prefixes.get(name.as_str()).copied().unwrap_or(&[]);
                let ok = s.len() == 34
                    && prefixes.iter().any(|p| s.starts_with(p.as_str()))
                    && s[2..].chars().all(|ch| ch.is_ascii_hexdigit());
                if !ok {
                    return Err(format!("is not a {name} (prefix {})", prefixes.join("/")));
                }
                let n = ident(name);
                Ok(quote!(api::sids::#n::parse(#s).map_err(|e| e.for_param("contract harness"))?))
            }
            Type::Model { module, name } => {
                let model = self.models.get(&(module.as_str(), name.as_str()));
                let Some(Model {
                    kind: ModelKind::Enum { values },
                    ..
                }) = model
                else {
                    return Err("is an object; the harness builds no struct from an example".into());
                };
                let s = text()?;
                let v = values
                    .iter()
                    .find(|v| v.wire == s)
                    .ok_or_else(|| "is not one of the declared values".to_string())?;
                let path = api_path(ty)?;
                let var = ident(&v.variant);
                Ok(quote!(#path::#var))
            }
            Type::DateTime => {
                let s = text()?;
                let (date, time, offset) =
                    date_time_parts(s).ok_or_else(|| "is not an RFC 3339 date-time".to_string())?;
                macro_call(&format!("time::macros::datetime!({date} {time} {offset})"))
            }
            Type::Date => {
                let s = text()?;
                let date = date_part(s).ok_or_else(|| "is not a `YYYY-MM-DD` date".to_string())?;
                macro_call(&format!("time::macros::date!({date})"))
            }
            other => Err(format!(
                "is not used: the harness builds {} only from the declaration",
                type_name(other)
            )),
        }
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

    /// `Struct::new(…)` of the struct `ty` from its required members; with
    /// `tag` (wire name, text), that member is given that text instead (a
    /// member of an enum type its `Other` variant).
    fn struct_value(&self, ty: &Type, tag: Option<(&str, &str)>) -> Result<TokenStream> {
        let model = match ty {
            Type::Model { module, name } => self.models.get(&(module.as_str(), name.as_str())),
            _ => None,
        };
        let Some(Model {
            kind: ModelKind::Struct { fields },
            ..
        }) = model
        else {
            return self.value(ty, None);
        };
        let path = api_path(ty).map_err(|e| Error::new("contract.rs", "", e))?;
        let args = fields
            .iter()
            .filter(|f| !f.optional)
            .map(|f| match (tag, &f.ty) {
                (Some((wire, text)), Type::String) if f.wire_name == wire => {
                    Ok(quote!(String::from(#text)))
                }
                (Some((wire, text)), t @ Type::Model { module, name })
                    if f.wire_name == wire
                        && matches!(
                            self.models.get(&(module.as_str(), name.as_str())),
                            Some(Model {
                                kind: ModelKind::Enum { .. },
                                ..
                            })
                        ) =>
                {
                    let p = api_path(t).map_err(|e| Error::new("contract.rs", "", e))?;
                    Ok(quote!(#p::Other(String::from(#text))))
                }
                _ => self.value(&f.ty, f.format.as_deref()),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(quote!(#path::new(#(#args),*)))
    }

    /// Text satisfying the stricter declaration `c` of a text parameter: its
    /// example where valid, else a derived value.
    fn text_for(&self, op: &str, c: &Param) -> Result<TokenStream> {
        if let (Some(text), Type::String | Type::Sid(_)) = (&c.example, &c.ty) {
            let plain = Param {
                ty: Type::String,
                ..c.clone()
            };
            let valid = self.example_value(c, text).is_ok();
            let mut stats = self.stats.borrow_mut();
            stats.arguments += 1;
            if valid {
                if let Ok(v) = self.example_value(&plain, text) {
                    stats.from_examples += 1;
                    return Ok(v);
                }
            }
            stats.examples_not_used.push(format!(
                "{op} {}: example `{text}` is not valid for its declaration",
                c.wire_name
            ));
        } else {
            self.stats.borrow_mut().arguments += 1;
        }
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
                let path = api_path(ty).map_err(|e| Error::new("contract.rs", "", e))?;
                match &model.kind {
                    ModelKind::Enum { values } => match values.first() {
                        Some(v) => {
                            let var = ident(&v.variant);
                            quote!(#path::#var)
                        }
                        None => quote!(#path::from("value")),
                    },
                    ModelKind::Struct { .. } => self.struct_value(ty, None)?,
                    ModelKind::OneOf {
                        variants,
                        discriminator,
                    } => {
                        let Some(first) = variants.first() else {
                            return Ok(quote!(#path::Other(serde_json::json!({}))));
                        };
                        let var = ident(&first.name);
                        // With a discriminator, the alternative is built with a
                        // wrong tag (another alternative's, else an unknown one):
                        // the server accepts the call only if the client sends
                        // the alternative's own.
                        let wrong = discriminator.as_deref().map(|d| {
                            let tag = variants
                                .get(1)
                                .and_then(|v| v.tags.first())
                                .map_or("contract-wrong-tag", String::as_str);
                            (d, tag)
                        });
                        let inner = match wrong {
                            Some(wrong) => self.struct_value(&first.ty, Some(wrong))?,
                            None => self.value(&first.ty, None)?,
                        };
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

/// The value of a header the client sets itself (`Authorization`, `Accept`,
/// `Content-Type`), where an operation also declares it as a parameter: what
/// the client would send, so that setting it proves the parameter is sent
/// verbatim without replacing the client's credentials or media types with text
/// the server refuses.
fn client_header(op: &Operation, p: &Param) -> Option<String> {
    if p.location != Location::Header {
        return None;
    }
    let name = p.wire_name.to_ascii_lowercase();
    match name.as_str() {
        "authorization" => Some(format!(
            "Basic {}",
            base64(format!("{ACCOUNT_SID}:{AUTH_TOKEN}").as_bytes())
        )),
        "accept" => Some(
            op.response
                .media_type
                .clone()
                .unwrap_or_else(|| "application/json".into()),
        ),
        "content-type" => Some(
            match op.body {
                Some(BodyEncoding::Form) => "application/x-www-form-urlencoded",
                _ => "application/json",
            }
            .into(),
        ),
        _ => None,
    }
}

/// Standard base64 (RFC 4648, with padding): the harness's Basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The path of the generated type `ty` as the harness names it (`crate::…` in
/// the crate is `api::…` here).
fn api_path(ty: &Type) -> std::result::Result<TokenStream, String> {
    rust_type(ty, "")
        .to_string()
        .replacen("crate", "api", 1)
        .parse()
        .map_err(|_| "generator bug: a type path does not parse".to_string())
}

/// `text` (a call of one of `time`'s macros) as tokens.
fn macro_call(text: &str) -> std::result::Result<TokenStream, String> {
    text.parse()
        .map_err(|_| format!("generator bug: `{text}` does not lex"))
}

/// A valid calendar date `YYYY-MM-DD` (as `time::macros::date!` takes it,
/// which would otherwise fail to compile).
fn date_part(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        s.get(r.clone())
            .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some(s)
}

/// An RFC 3339 date-time split as `time::macros::datetime!` takes it: the
/// date, the time (`hh:mm:ss[.fraction]`) and the offset (`UTC` or `±hh:mm`).
fn date_time_parts(s: &str) -> Option<(&str, &str, String)> {
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    date_part(date)?;
    let rest = rest.strip_prefix(['T', 't'])?;
    let split = rest.find(['Z', 'z', '+', '-'])?;
    let (time, offset) = rest.split_at(split);
    let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
    let parts: Vec<&str> = hms.split(':').collect();
    let two = |t: &str, max: u32| {
        (t.len() == 2 && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    match parts.as_slice() {
        [h, m, sec] => {
            two(h, 23)?;
            two(m, 59)?;
            two(sec, 59)?;
        }
        _ => return None,
    }
    if time.contains('.')
        && (fraction.is_empty()
            || fraction.len() > 9
            || !fraction.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let offset = match offset {
        "Z" | "z" => "UTC".to_string(),
        o => {
            let (h, m) = o.get(1..)?.split_once(':')?;
            two(h, 23)?;
            two(m, 59)?;
            o.to_string()
        }
    };
    Some((date, time, offset))
}

/// How the reason for an unused example names a type.
fn type_name(ty: &Type) -> &'static str {
    match ty {
        Type::String => "text",
        Type::I32 | Type::I64 => "an integer",
        Type::F64 => "a number",
        Type::Bool => "a boolean",
        Type::DateTime | Type::DateTimeRfc2822 => "a date-time",
        Type::Date => "a date",
        Type::Sid(_) => "a SID",
        Type::Model { .. } => "a generated type",
        Type::Array(_) => "a list",
        Type::Map(_) | Type::CollapsibleMap { .. } => "a map",
        Type::Any => "free-form JSON",
    }
}

/// Whether the example text `s` is valid for the declared constraints and
/// format (the formats Prism checks), or why not.
fn valid_text(s: &str, c: &Constraints, format: Option<&str>) -> std::result::Result<(), String> {
    let len = s.chars().count() as u64;
    if c.min_length.is_some_and(|min| len < min) || c.max_length.is_some_and(|max| len > max) {
        return Err("has a length outside the declared range".into());
    }
    if let Some(shape) = c.any_sid {
        let letters = s.chars().take(2).all(|ch| match shape {
            crate::ir::SidShape::Uppercase => ch.is_ascii_uppercase(),
            crate::ir::SidShape::AnyCase => ch.is_ascii_alphabetic(),
        });
        if s.len() != 34 || !letters || !s[2..].chars().all(|ch| ch.is_ascii_hexdigit()) {
            return Err("is not a SID".into());
        }
    }
    if let Some(p) = &c.pattern {
        // As the generated client checks it: a match anywhere in the text.
        let re = regex::Regex::new(p).map_err(|_| "has a pattern the harness cannot read")?;
        if !re.is_match(s) {
            return Err(format!("does not match the pattern `{p}`"));
        }
    }
    let ok = match format {
        Some("uri") | Some("url") => s.split_once(':').is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && !rest.is_empty()
                && scheme
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch))
        }),
        Some("email") => s
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')),
        _ => true,
    };
    if !ok {
        return Err(format!("is not a valid `{}`", format.unwrap_or_default()));
    }
    Ok(())
}

/// Whether `n` is within the declared range, or why not.
fn in_range(n: f64, c: &Constraints) -> std::result::Result<(), String> {
    let bound = |b: &Option<crate::ir::Bound>| {
        b.as_ref()
            .and_then(|b| b.value.parse::<f64>().ok().map(|v| (v, b.exclusive)))
    };
    let low = bound(&c.minimum).is_some_and(|(min, ex)| if ex { n <= min } else { n < min });
    let high = bound(&c.maximum).is_some_and(|(max, ex)| if ex { n >= max } else { n > max });
    if low || high {
        return Err("is outside the declared range".into());
    }
    Ok(())
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
    use super::{base64, matching};

    #[test]
    fn reads_dates_and_date_times_as_time_macros_take_them() {
        use super::{date_part, date_time_parts};
        assert_eq!(date_part("2024-02-29"), Some("2024-02-29"));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "2024-01-00",
            "20240101",
            "",
        ] {
            assert_eq!(date_part(bad), None, "{bad}");
        }
        assert_eq!(
            date_time_parts("2015-07-30T20:00:00Z"),
            Some(("2015-07-30", "20:00:00", "UTC".to_string()))
        );
        assert_eq!(
            date_time_parts("2015-07-30T20:00:00.25-05:30"),
            Some(("2015-07-30", "20:00:00.25", "-05:30".to_string()))
        );
        for bad in [
            "2015-07-30",
            "2015-07-30 20:00:00Z",
            "2015-07-30T24:00:00Z",
            "2015-07-30T20:00:00",
            "2015-07-30T20:00:00.Z",
            "2015-07-30T20:00Z",
            "2015-07-30T20:00:00+5:00",
        ] {
            assert_eq!(date_time_parts(bad), None, "{bad}");
        }
    }

    #[test]
    fn encodes_base64_as_rfc_4648() {
        // The RFC's test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

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
