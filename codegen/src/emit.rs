//! Emit: the IR becomes the files of the generated crate. Rust goes through
//! `quote!` -> `syn::File` -> `prettyplease`; every file starts with the
//! `@generated` header, and the same IR always gives the same bytes.

use crate::error::{Error, Result};
use crate::ir::{
    Api, BodyEncoding, Location, Model, ModelKind, Operation, Param, Resource, Type, Version,
};
use crate::names::{is_raw, unraw};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use std::collections::BTreeMap;

/// The first line of every generated file: what the generator owns and may rewrite or delete.
pub const GENERATED_MARKER: &str = "@generated";

/// What the crate is called and where it came from.
#[derive(Debug, Clone)]
pub struct CrateInfo {
    /// Package name, e.g. `twilio-flex`.
    pub name: String,
    pub version: String,
    pub description: String,
    /// Spec file names, for the header and the README.
    pub sources: Vec<String>,
    /// Adds an empty `[workspace]` table so the crate builds on its own even
    /// inside another workspace's directory tree.
    pub standalone: bool,
}

/// The runtime every generated crate carries (hand-written, copied verbatim).
const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("encode.rs", include_str!("../runtime/encode.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("sid.rs", include_str!("../runtime/sid.rs")),
    ("validate.rs", include_str!("../runtime/validate.rs")),
];

/// All files of the crate, by path relative to the crate root.
pub fn emit(api: &Api, info: &CrateInfo) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let header = |comment: &str| {
        format!(
            "{comment} {GENERATED_MARKER} by `cargo xtask generate` from {}. Do not edit: changes are overwritten.\n",
            info.sources.join(", ")
        )
    };
    let rs_header = format!("{}#![cfg_attr(rustfmt, rustfmt_skip)]\n", header("//"));
    files.insert(
        "Cargo.toml".into(),
        format!("{}{}", header("#"), cargo_toml(info)),
    );
    files.insert(
        "README.md".into(),
        format!(
            "{}{}",
            header("<!--").trim_end().to_string() + " -->\n",
            readme(api, info)
        ),
    );
    for (name, text) in RUNTIME {
        files.insert(format!("src/runtime/{name}"), format!("{rs_header}{text}"));
    }
    let rust = |path: &str, tokens: TokenStream| -> Result<(String, String)> {
        let file: syn::File = syn::parse2(tokens).map_err(|e| {
            Error::new(
                path,
                "",
                format!("generator bug: emitted Rust does not parse: {e}"),
            )
        })?;
        Ok((
            path.to_string(),
            format!("{rs_header}{}", space_items(&prettyplease::unparse(&file))),
        ))
    };
    let mut add = |(p, t): (String, String)| {
        files.insert(p, t);
    };
    add(rust("src/lib.rs", lib_rs(api, info))?);
    add(rust("src/sids.rs", sids_rs(api))?);
    for v in &api.versions {
        let dir = unraw(&v.module);
        add(rust(&format!("src/{dir}/mod.rs"), version_mod(v))?);
        if !v.models.is_empty() {
            add(rust(&format!("src/{dir}/models.rs"), models_rs(v))?);
        }
        for r in &v.resources {
            add(rust(
                &format!("src/{}/{}.rs", unraw(&v.module), unraw(&r.name)),
                resource_rs(v, r),
            )?);
        }
    }
    Ok(files)
}

fn cargo_toml(info: &CrateInfo) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.85"
description = "{description}"
license = "MIT"
repository = "https://github.com/twilio-rs/twilio-rs"
readme = "README.md"
keywords = ["twilio", "flex", "api", "client", "async"]
categories = ["api-bindings", "web-programming::http-client"]
# The contract tests need the repository's mock-server harness.
exclude = ["tests/"]

[dependencies]
# Response bodies as received from reqwest, without a copy.
bytes = "1"
# Form bodies with repeated keys, as Twilio's SDKs send arrays.
form_urlencoded = "1"
# HTTP client. rustls with ring and bundled web PKI roots: HTTPS works on any machine
# with no system OpenSSL, and builds faster than aws-lc.
reqwest = {{ version = "0.12", default-features = false, features = ["rustls-tls", "http2"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
# Typed dates and date-times (RFC 3339 and ISO dates).
time = {{ version = "0.3", features = ["serde", "formatting", "parsing", "macros"] }}

[dev-dependencies]
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
{workspace}"#,
        name = info.name,
        version = info.version,
        description = info.description,
        workspace = if info.standalone {
            "\n[workspace]\n"
        } else {
            ""
        },
    )
}

fn readme(api: &Api, info: &CrateInfo) -> String {
    let mut s = format!("# {}\n\n{}\n\n", info.name, info.description);
    s.push_str("## Usage\n\n```rust,no_run\n");
    let krate = info.name.replace('-', "_");
    s.push_str(&format!("use {krate}::{{Client, Error}};\n\n"));
    s.push_str("async fn run() -> Result<(), Error> {\n");
    let mut body = String::new();
    body.push_str("// TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (and optionally TWILIO_REGION, TWILIO_EDGE).\n");
    body.push_str("let client = Client::from_env()?;\n");
    if let Some((v, r, op)) = api
        .versions
        .iter()
        .flat_map(|v| v.resources.iter().map(move |r| (v, r)))
        .find_map(|(v, r)| {
            r.operations
                .iter()
                .find(|o| {
                    o.params
                        .iter()
                        .all(|p| !p.required || matches!(p.ty, Type::Sid(_)))
                })
                .map(|o| (v, r, o))
        })
    {
        let sid_arg = |p: &Param| match &p.ty {
            Type::Sid(name) => format!("\"{}\"", example_sid(api, name)),
            _ => "todo".into(),
        };
        let res_args: Vec<String> = r.params.iter().map(sid_arg).collect();
        let op_args: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(sid_arg)
            .collect();
        body.push_str(&format!(
            "let result = client\n    .{}()\n    .{}({})\n    .{}({})\n    .send()\n    .await?;\nprintln!(\"{{result:?}}\");\n",
            v.module,
            r.name,
            res_args.join(", "),
            op.fn_name,
            op_args.join(", ")
        ));
    }
    body.push_str("Ok(())\n");
    for line in body.lines() {
        s.push_str(&format!("    {line}\n").replace("    \n", "\n"));
    }
    s.push_str("}\n```\n\n");
    s.push_str("## APIs\n\n");
    for v in &api.versions {
        let resources: Vec<String> = v
            .resources
            .iter()
            .map(|r| {
                let ops: Vec<&str> = r.operations.iter().map(|o| o.fn_name.as_str()).collect();
                format!("`{}` ({})", r.name, ops.join(", "))
            })
            .collect();
        s.push_str(&format!(
            "- `client.{}()`: {}\n",
            v.module,
            resources.join("; ")
        ));
    }
    s.push_str("\nErrors are one type, `Error`: Twilio's error body with status and request id, invalid arguments (checked before sending), transport, timeout and decode failures.\n");
    s
}

fn example_sid(api: &Api, name: &str) -> String {
    let prefix = api
        .sids
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.prefixes.first())
        .cloned()
        .unwrap_or_default();
    format!("{prefix}{}", "0".repeat(32))
}

/// prettyplease puts no blank line between items; this adds one after each item
/// that ends with `}` (or `;` at the top level) and after the module docs.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (n, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(n + 1) else {
            continue;
        };
        let indent = |l: &str| l.len() - l.trim_start().len();
        let t = line.trim();
        let nt = next.trim();
        let item_end = t == "}"
            || t == "};"
            || (indent(line) == 0
                && t.ends_with(';')
                && !nt.starts_with("pub mod")
                && !nt.starts_with("mod "));
        let closes = nt.starts_with('}') || nt.starts_with(')') || nt.starts_with("else");
        let docs_end = t.starts_with("//!") && !nt.starts_with("//!");
        if (item_end && !closes && indent(line) == indent(next)) || docs_end {
            out.push('\n');
        }
    }
    out
}

/// `#[doc = " line"]` per line, so prettyplease prints `///` comments.
fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = " line"]` per line: `//!` comments for a module or crate.
fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

fn doc_lines(text: &str) -> Vec<String> {
    sanitize_doc(text)
        .lines()
        .map(|l| format!(" {}", l.trim_end()))
        .collect()
}

/// Spec text made safe for rustdoc: bare URLs become autolinks, stray brackets and
/// angle brackets are escaped so they are not read as links or HTML.
fn sanitize_doc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().take(8).collect();
        let at_url = rest.starts_with("https://") || rest.starts_with("http://");
        let after_link_paren = i > 0 && chars[i - 1] == '(' && i > 1 && chars[i - 2] == ']';
        if at_url && !after_link_paren && (i == 0 || chars[i - 1] != '<') {
            let end = (i..chars.len())
                .find(|&j| chars[j].is_whitespace() || chars[j] == '>' || chars[j] == ')')
                .unwrap_or(chars.len());
            let mut url: String = chars[i..end].iter().collect();
            let trailing: String = {
                let trimmed = url.trim_end_matches(['.', ',', ';', ':']).to_string();
                let t = url[trimmed.len()..].to_string();
                url = trimmed;
                t
            };
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&trailing);
            i = end;
            continue;
        }
        match chars[i] {
            '[' => {
                // Keep `[text](url)` links; escape every other bracket.
                let close = (i..chars.len()).find(|&j| chars[j] == ']');
                match close {
                    Some(j) if chars.get(j + 1) == Some(&'(') => out.push('['),
                    _ => out.push_str("\\["),
                }
            }
            ']' => {
                if chars.get(i + 1) == Some(&'(') {
                    out.push(']');
                } else {
                    out.push_str("\\]");
                }
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

fn ident(name: &str) -> Ident {
    if is_raw(name) {
        Ident::new_raw(unraw(name), Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

fn lib_rs(api: &Api, info: &CrateInfo) -> TokenStream {
    let inner = inner_doc(&format!(
        "{}\n\nStart with `Client`; each API version is a method on it, e.g. `client.{}()`.",
        info.description,
        api.versions
            .first()
            .map(|v| v.module.as_str())
            .unwrap_or("…")
    ));
    let mods = api.versions.iter().map(|v| {
        let m = ident(&v.module);
        let d = doc(&format!("{} {} API.", title(&v.domain), v.version));
        quote! { #d pub mod #m; }
    });
    let accessors = api.versions.iter().map(|v| {
        let m = ident(&v.module);
        let t = ident(&v.type_name);
        let d = doc(&format!("The {} {} API.", title(&v.domain), v.version));
        quote! { #d pub fn #m(&self) -> #m::#t { #m::#t { client: self.clone() } } }
    });
    quote! {
        #inner
        #![deny(warnings)]
        #![deny(missing_docs)]

        /// The README's example, compiled as a doctest.
        #[doc = include_str!("../README.md")]
        #[cfg(doctest)]
        pub struct ReadmeDoctests;

        pub mod runtime;
        /// Validated SID types, one per SID prefix.
        pub mod sids;
        #(#mods)*

        pub use runtime::{ApiError, Client, ClientBuilder, Credentials, Error, IntoSid, InvalidSid, Sid};

        impl Client {
            #(#accessors)*
        }
    }
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn sids_rs(api: &Api) -> TokenStream {
    let items = api.sids.iter().map(|s| {
        let name = ident(&s.name);
        let pattern = format!(
            "`{}` followed by 32 hexadecimal digits.",
            s.prefixes.join("` or `")
        );
        let what =
            heck::ToSnakeCase::to_snake_case(s.name.trim_end_matches("Sid")).replace('_', " ");
        let d = doc(&format!("Identifies a {what}: {pattern}"));
        let prefixes = &s.prefixes;
        quote! { crate::sid_type!(#d #name, [#(#prefixes),*]); }
    });
    quote! { #(#items)* }
}

/// The type as written in a struct field or function signature.
fn rust_type(ty: &Type, here: &str) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F64 => quote!(f64),
        Type::Bool => quote!(bool),
        Type::DateTime => quote!(time::OffsetDateTime),
        Type::Date => quote!(time::Date),
        Type::Sid(n) => {
            let n = ident(n);
            quote!(crate::sids::#n)
        }
        Type::Model { module, name } => {
            let n = ident(name);
            if module == here {
                quote!(#n)
            } else {
                let m = ident(module);
                quote!(crate::#m::models::#n)
            }
        }
        Type::Array(t) => {
            let t = rust_type(t, here);
            quote!(Vec<#t>)
        }
        Type::Map(t) => {
            let t = rust_type(t, here);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        Type::Any => quote!(serde_json::Value),
    }
}

fn version_mod(v: &Version) -> TokenStream {
    let vt = ident(&v.type_name);
    let inner = inner_doc(&format!(
        "{} {}: `client.{}()`.",
        title(&v.domain),
        v.version,
        v.module
    ));
    let models = (!v.models.is_empty()).then(|| {
        quote! { /// Types of request and response bodies.
        pub mod models; }
    });
    let mods = v.resources.iter().map(|r| {
        let m = ident(&r.name);
        let d = doc(&format!("The `{}` resource.", r.name));
        quote! { #d pub mod #m; }
    });
    let accessors = v.resources.iter().map(|r| {
        let m = ident(&r.name);
        let t = ident(&r.type_name);
        let args = r.params.iter().map(|p| {
            let n = ident(&p.rust_name);
            let a = arg_type(p, &v.module);
            quote!(#n: #a)
        });
        let inits = r.params.iter().map(|p| {
            let n = ident(&p.rust_name);
            let c = convert(p, &n);
            quote!(#n: #c)
        });
        let mut text = if r.doc.is_empty() {
            format!("The `{}` resource.", r.name)
        } else {
            r.doc.clone()
        };
        text.push_str(&param_docs(&r.params));
        let d = doc(&text);
        quote! {
            #d
            pub fn #m(&self, #(#args),*) -> #m::#t {
                #m::#t { client: self.client.clone(), #(#inits),* }
            }
        }
    });
    let type_doc = doc(&format!(
        "{} {} API: `client.{}()`.",
        title(&v.domain),
        v.version,
        v.module
    ));
    quote! {
        #inner
        #models
        #(#mods)*

        #type_doc
        #[derive(Debug, Clone)]
        pub struct #vt {
            pub(crate) client: crate::Client,
        }

        impl #vt {
            #(#accessors)*
        }
    }
}

/// A `# Arguments` section listing each parameter's spec description.
fn param_docs(params: &[Param]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n\n# Arguments\n");
    for p in params {
        let text = if p.doc.is_empty() {
            String::new()
        } else {
            format!(": {}", p.doc.replace('\n', " "))
        };
        s.push_str(&format!(
            "\n- `{}` (`{}`){}",
            unraw(&p.rust_name),
            p.wire_name,
            text
        ));
    }
    s
}

/// How a parameter is taken as an argument or setter value.
fn arg_type(p: &Param, here: &str) -> TokenStream {
    match &p.ty {
        Type::Sid(n) => {
            let n = ident(n);
            quote!(impl crate::IntoSid<crate::sids::#n>)
        }
        Type::String => quote!(impl Into<String>),
        Type::Array(inner) => match &**inner {
            Type::Sid(n) => {
                let n = ident(n);
                quote!(impl IntoIterator<Item = impl crate::IntoSid<crate::sids::#n>>)
            }
            Type::String => quote!(impl IntoIterator<Item = impl Into<String>>),
            other => {
                let t = rust_type(other, here);
                quote!(impl IntoIterator<Item = #t>)
            }
        },
        other => rust_type(other, here),
    }
}

/// How a parameter is kept in a builder until `send()` (SIDs keep their check result).
fn stored_type(p: &Param, here: &str) -> TokenStream {
    match &p.ty {
        Type::Sid(n) => {
            let n = ident(n);
            quote!(Result<crate::sids::#n, crate::InvalidSid>)
        }
        Type::Array(inner) if matches!(**inner, Type::Sid(_)) => {
            let Type::Sid(n) = &**inner else {
                unreachable!()
            };
            let n = ident(n);
            quote!(Result<Vec<crate::sids::#n>, crate::InvalidSid>)
        }
        other => rust_type(other, here),
    }
}

fn convert(p: &Param, v: &Ident) -> TokenStream {
    match &p.ty {
        Type::Sid(_) => quote!(crate::IntoSid::into_sid(#v)),
        Type::String => quote!(#v.into()),
        Type::Array(inner) => match &**inner {
            Type::Sid(_) => quote!(#v.into_iter().map(crate::IntoSid::into_sid).collect()),
            Type::String => quote!(#v.into_iter().map(Into::into).collect()),
            _ => quote!(#v.into_iter().collect()),
        },
        _ => quote!(#v),
    }
}

fn is_checked_sid(ty: &Type) -> bool {
    matches!(ty, Type::Sid(_)) || matches!(ty, Type::Array(i) if matches!(**i, Type::Sid(_)))
}

fn resource_rs(v: &Version, r: &Resource) -> TokenStream {
    let here = "";
    let rt = ident(&r.type_name);
    let res_fields = r.params.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = stored_type(p, here);
        quote!(pub(crate) #n: #t)
    });
    let mut text = if r.doc.is_empty() {
        format!("The `{}` resource.", r.name)
    } else {
        r.doc.clone()
    };
    text.push_str(&format!(
        "\n\nGet one with `client.{}().{}(…)`.",
        v.module, r.name
    ));
    let res_doc = doc(&text);
    let methods = r.operations.iter().map(|op| op_method(r, op, here));
    let builders = r.operations.iter().map(|op| op_builder(r, op));
    let mod_doc = inner_doc(&format!(
        "The `{}` resource of {} {}.",
        r.name,
        title(&v.domain),
        v.version
    ));
    quote! {
        #mod_doc

        #res_doc
        #[derive(Debug, Clone)]
        pub struct #rt {
            pub(crate) client: crate::Client,
            #(#res_fields,)*
        }

        impl #rt {
            #(#methods)*
        }

        #(#builders)*
    }
}

fn op_method(r: &Resource, op: &Operation, here: &str) -> TokenStream {
    let f = ident(&op.fn_name);
    let b = ident(&op.builder);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = arg_type(p, here);
        quote!(#n: #t)
    });
    let res_fields = r.params.iter().map(|p| {
        let n = ident(&p.rust_name);
        quote!(#n: self.#n.clone())
    });
    let fields = op.params.iter().map(|p| {
        let n = ident(&p.rust_name);
        if p.required {
            let c = convert(p, &n);
            quote!(#n: #c)
        } else {
            quote!(#n: None)
        }
    });
    let mut text = if op.doc.is_empty() {
        format!("`{}`.", op.id)
    } else {
        op.doc.clone()
    };
    text.push_str(&format!("\n\n`{} {}`", op.method.as_str(), op.path));
    let req: Vec<Param> = required.iter().map(|p| (*p).clone()).collect();
    text.push_str(&param_docs(&req));
    let d = doc(&text);
    quote! {
        #d
        pub fn #f(&self, #(#args),*) -> #b {
            #b {
                client: self.client.clone(),
                #(#res_fields,)*
                #(#fields,)*
            }
        }
    }
}

fn op_builder(r: &Resource, op: &Operation) -> TokenStream {
    // Resource modules name every type by its full path.
    let here = "";
    let b = ident(&op.builder);
    let all: Vec<&Param> = r.params.iter().chain(&op.params).collect();
    let fields = all.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = stored_type(p, here);
        if p.required {
            quote!(#n: #t)
        } else {
            quote!(#n: Option<#t>)
        }
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let n = ident(&p.rust_name);
        let t = arg_type(p, here);
        let c = convert(p, &n);
        let text = if p.doc.is_empty() {
            format!("Sets `{}`.", p.wire_name)
        } else {
            p.doc.clone()
        };
        let d = doc(&format!(
            "{text}\n\nSent as `{}`{}.",
            p.wire_name,
            constraint_note(p)
        ));
        quote! {
            #d
            pub fn #n(mut self, #n: #t) -> Self {
                self.#n = Some(#c);
                self
            }
        }
    });
    let names: Vec<Ident> = all.iter().map(|p| ident(&p.rust_name)).collect();
    let steps: Vec<TokenStream> = all.iter().map(|p| send_step(p, op)).collect();
    let req_binding = if steps.is_empty() && op.body.is_none() {
        quote!(req)
    } else {
        quote!(mut req)
    };
    let method = op.method.as_str();
    let base = &op.base_url;
    let path = &op.path;
    let auth = op.auth;
    let body_init = match op.body {
        Some(BodyEncoding::Form) => quote!(req.form_body();),
        Some(BodyEncoding::Json) => quote!(req.json_body();),
        None => quote!(),
    };
    let (ret, exec) = match &op.response.body {
        Some(t) => (rust_type(t, ""), quote!(client.execute(req).await)),
        None => (quote!(()), quote!(client.execute_empty(req).await)),
    };
    let d = doc(&format!(
        "Request builder for `{}` (`{} {}`): set optional parameters, then `.send().await`.",
        op.id, method, path
    ));
    let send_doc = doc(&format!(
        "Checks every parameter against the spec, then sends the request.\n\nOn success (HTTP {}) returns {}.",
        op.response.status,
        if op.response.body.is_some() { "the decoded body" } else { "`()`" }
    ));
    quote! {
        #d
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #b {
            client: crate::Client,
            #(#fields,)*
        }

        impl #b {
            #(#setters)*

            #send_doc
            pub async fn send(self) -> Result<#ret, crate::Error> {
                let #b { client, #(#names),* } = self;
                let #req_binding = crate::runtime::Request::new(#method, #base, #path, #auth);
                #body_init
                #(#steps)*
                #exec
            }
        }
    }
}

fn constraint_note(p: &Param) -> String {
    let c = &p.constraints;
    let mut parts = vec![];
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} characters")),
        (Some(a), None) => parts.push(format!("at least {a} characters")),
        (None, Some(b)) => parts.push(format!("at most {b} characters")),
        _ => {}
    }
    if let Some(m) = &c.minimum {
        parts.push(format!(
            "{} {}",
            if m.exclusive { "more than" } else { "at least" },
            m.value
        ));
    }
    if let Some(m) = &c.maximum {
        parts.push(format!(
            "{} {}",
            if m.exclusive { "less than" } else { "at most" },
            m.value
        ));
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} items")),
        (Some(a), None) => parts.push(format!("at least {a} items")),
        (None, Some(b)) => parts.push(format!("at most {b} items")),
        _ => {}
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; checked before sending: {}", parts.join(", "))
    }
}

/// The statements in `send()` for one parameter: resolve, check, place.
fn send_step(p: &Param, op: &Operation) -> TokenStream {
    let n = ident(&p.rust_name);
    let wire = &p.wire_name;
    let resolve = if is_checked_sid(&p.ty) {
        quote!(let #n = #n.map_err(|e| e.for_param(#wire))?;)
    } else {
        quote!()
    };
    let checks = checks(p, &n);
    let place = match p.location {
        Location::Path => quote!(req.path(#wire, &#n);),
        Location::Query => quote!(req.query(#wire, &#n);),
        Location::Header => quote!(req.header(#wire, &#n);),
        Location::Body => match op.body {
            Some(BodyEncoding::Json) => quote!(req.json(#wire, &#n)?;),
            _ => quote!(req.form(#wire, &#n);),
        },
    };
    if p.required {
        quote! { #resolve #checks #place }
    } else {
        quote! {
            if let Some(#n) = #n {
                #resolve #checks #place
            }
        }
    }
}

fn checks(p: &Param, n: &Ident) -> TokenStream {
    let c = &p.constraints;
    let wire = &p.wire_name;
    let opt_u64 = |v: Option<u64>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let mut out = quote!();
    if c.min_length.is_some() || c.max_length.is_some() {
        let (a, b) = (opt_u64(c.min_length), opt_u64(c.max_length));
        out.extend(quote!(crate::runtime::validate::length(#wire, &#n, #a, #b)?;));
    }
    if c.min_items.is_some() || c.max_items.is_some() {
        let (a, b) = (opt_u64(c.min_items), opt_u64(c.max_items));
        out.extend(quote!(crate::runtime::validate::items(#wire, #n.len(), #a, #b)?;));
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        let bound = |b: &Option<crate::ir::Bound>| match b {
            Some(b) => {
                let lit = number_literal(&p.ty, &b.value);
                let ex = b.exclusive;
                quote!(Some((#lit, #ex)))
            }
            None => quote!(None),
        };
        let (a, b) = (bound(&c.minimum), bound(&c.maximum));
        out.extend(quote!(crate::runtime::validate::range(#wire, #n, #a, #b)?;));
    }
    out
}

fn number_literal(ty: &Type, value: &str) -> TokenStream {
    match ty {
        Type::I32 => Literal::i32_suffixed(value.parse().unwrap_or_default()).into_token_stream(),
        Type::I64 => Literal::i64_suffixed(value.parse().unwrap_or_default()).into_token_stream(),
        _ => Literal::f64_suffixed(value.parse().unwrap_or_default()).into_token_stream(),
    }
}

fn models_rs(v: &Version) -> TokenStream {
    let items = v.models.iter().map(|m| model(v, m));
    let inner = inner_doc(&format!(
        "Types of {} {} request and response bodies.",
        title(&v.domain),
        v.version
    ));
    quote! {
        #inner
        #(#items)*
    }
}

fn model(v: &Version, m: &Model) -> TokenStream {
    let name = ident(&m.name);
    let text = if m.doc.is_empty() {
        format!("`{}`.", m.source)
    } else {
        m.doc.clone()
    };
    let d = doc(&text);
    match &m.kind {
        ModelKind::Struct { fields } => {
            let fields = fields.iter().map(|f| {
                let n = ident(&f.rust_name);
                let t = rust_type(&f.ty, &v.module);
                let t = if f.boxed { quote!(Box<#t>) } else { t };
                let t = if f.optional { quote!(Option<#t>) } else { t };
                let d = doc(if f.doc.is_empty() {
                    &f.wire_name
                } else {
                    &f.doc
                });
                let mut serde_args = vec![];
                let wire = &f.wire_name;
                if unraw(&f.rust_name) != f.wire_name {
                    serde_args.push(quote!(rename = #wire));
                }
                let with = match (&f.ty, f.optional) {
                    (Type::DateTime, false) => Some("crate::runtime::serde_time::rfc3339"),
                    (Type::DateTime, true) => Some("crate::runtime::serde_time::rfc3339::option"),
                    (Type::Date, false) => Some("crate::runtime::serde_time::iso_date"),
                    (Type::Date, true) => Some("crate::runtime::serde_time::iso_date::option"),
                    _ => None,
                };
                if let Some(w) = with {
                    serde_args.push(quote!(with = #w));
                }
                if f.optional {
                    serde_args.push(quote!(default));
                    serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
                }
                let serde = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
                quote! { #d #serde pub #n: #t }
            });
            quote! {
                #d
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields,)*
                }
            }
        }
        ModelKind::Enum { values } => {
            let variants: Vec<Ident> = values
                .iter()
                .map(|e| format_ident!("{}", e.variant))
                .collect();
            let wires: Vec<&str> = values.iter().map(|e| e.wire.as_str()).collect();
            let vdocs = wires.iter().map(|w| doc(&format!("`{w}`")));
            quote! {
                #d
                #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #( #vdocs #variants, )*
                    /// A value this version of the crate does not know.
                    Other(String),
                }

                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( #name::#variants => #wires, )*
                            #name::Other(s) => s,
                        }
                    }
                }

                impl From<&str> for #name {
                    fn from(s: &str) -> Self {
                        match s {
                            #( #wires => #name::#variants, )*
                            other => #name::Other(other.to_string()),
                        }
                    }
                }

                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        s.serialize_str(self.as_str())
                    }
                }

                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        let s = String::deserialize(d)?;
                        Ok(#name::from(s.as_str()))
                    }
                }

                impl crate::runtime::ToParam for #name {
                    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
                        out.push((key.to_string(), self.as_str().to_string()));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize_doc;

    #[test]
    fn markdown_links_are_kept() {
        let s = "See the [Conversation resource](https://www.twilio.com/docs/c) for more.";
        assert_eq!(sanitize_doc(s), s);
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            sanitize_doc("Docs: https://twilio.com/x."),
            "Docs: <https://twilio.com/x>."
        );
    }

    #[test]
    fn html_and_stray_brackets_are_escaped() {
        assert_eq!(
            sanitize_doc("Use <Say> in [brackets]"),
            "Use &lt;Say&gt; in \\[brackets\\]"
        );
    }
}
