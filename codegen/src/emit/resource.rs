//! Resource handles and request builders: one module per resource.

use super::docs::{doc, inner_doc};
use super::{ident, rust_type, version_title};
use crate::ir::{BodyEncoding, Location, Operation, PageStyle, Param, Resource, Type, Version};
use crate::names::unraw;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

pub(super) fn resource_rs(v: &Version, r: &Resource) -> TokenStream {
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
    let args = if r.accessor_params().next().is_some() {
        "…"
    } else {
        ""
    };
    text.push_str(&format!(
        "\n\nGet one with `client.{}().{}({args})`.",
        v.module, r.name
    ));
    let account = r
        .client_account
        .as_ref()
        .and_then(|wire| r.params.iter().find(|p| &p.wire_name == wire));
    if let Some(p) = account {
        text.push_str(&format!(
            " It addresses the client's own account (`{}` is `Client::account_sid()`); `.{}(sid)` addresses another one, such as a subaccount.",
            p.wire_name,
            crate::lower::FOR_ACCOUNT
        ));
    }
    let res_doc = doc(&text);
    let for_account = account.map(|p| {
        let f = ident(crate::lower::FOR_ACCOUNT);
        let n = ident(&p.rust_name);
        let t = arg_type(p, here);
        let c = convert(p, &n);
        let d = doc(&format!(
            "Addresses the account `{}` (a subaccount, or another account these credentials may act for) instead of the client's own.",
            unraw(&p.rust_name)
        ));
        quote! {
            #d
            pub fn #f(mut self, #n: #t) -> Self {
                self.#n = #c;
                self
            }
        }
    });
    let methods = r.operations.iter().map(|op| op_method(r, op, here));
    let builders = r.operations.iter().map(|op| op_builder(r, op));
    let mod_doc = inner_doc(&format!(
        "The `{}` resource of {}.",
        r.name,
        version_title(v)
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
            #for_account
            #(#methods)*
        }

        #(#builders)*
    }
}

pub(super) fn op_method(r: &Resource, op: &Operation, here: &str) -> TokenStream {
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
        // `.clone()` on a `Copy` value trips clippy's `clone_on_copy`.
        if is_copy(&p.ty) {
            quote!(#n: self.#n)
        } else {
            quote!(#n: self.#n.clone())
        }
    });
    let fields = op.params.iter().map(|p| {
        let n = ident(&p.rust_name);
        if p.required {
            // `x: x` trips clippy's `redundant_field_names`: use the shorthand.
            if is_identity_conversion(&p.ty) {
                quote!(#n)
            } else {
                let c = convert(p, &n);
                quote!(#n: #c)
            }
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
    // Required parameters are positional, as the spec lists them; some Twilio
    // operations require ten (`CreateTollfreeVerification`).
    let many = (required.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #d
        #many
        pub fn #f(&self, #(#args),*) -> #b {
            #b {
                client: self.client.clone(),
                options: Default::default(),
                #(#res_fields,)*
                #(#fields,)*
            }
        }
    }
}

pub(super) fn op_builder(r: &Resource, op: &Operation) -> TokenStream {
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
        let sent_as = match (&p.ty, p.location) {
            (Type::CollapsibleMap { prefix }, Location::Query | Location::Body)
                if op.body != Some(BodyEncoding::Json) || p.location == Location::Query =>
            {
                format!("`{prefix}.<key>=<value>` pairs, nested objects flattened with dots (`{prefix}.a.b`)")
            }
            _ => format!("`{}`", p.wire_name),
        };
        let d = doc(&format!("{text}\n\nSent as {sent_as}{}.", constraint_note(p)));
        quote! {
            #d
            pub fn #n(mut self, #n: #t) -> Self {
                self.#n = Some(#c);
                self
            }
        }
    });
    let names: Vec<Ident> = all.iter().map(|p| ident(&p.rust_name)).collect();
    let mut steps: Vec<TokenStream> = op.path_checks.iter().map(path_check).collect();
    steps.extend(all.iter().map(|p| send_step(p, op)));
    let status = op.response.status;
    let redirect = (300..400).contains(&status);
    let req_binding = if steps.is_empty()
        && op.body.is_none()
        && !redirect
        && op.oauth2.is_none()
        && op.response.media_type.is_none()
    {
        quote!(req)
    } else {
        quote!(mut req)
    };
    // A documented redirect is the operation's result, not a failure.
    let accept_status = redirect.then(|| quote!(req.accept_status(#status);));
    // A body served only as another JSON type (`application/scim+json`).
    let accept = op
        .response
        .media_type
        .as_ref()
        .map(|m| quote!(req.accept(#m);));
    // An operation that accepts an OAuth 2 access token: where to get one.
    let oauth2 = op.oauth2.as_ref().map(|t| {
        let (b, p) = (&t.base_url, &t.path);
        quote!(req.oauth2_token_endpoint(#b, #p);)
    });
    let method = op.method.as_str();
    let method_ident = format_ident!("{}", method);
    let base = &op.base_url;
    let path = &op.path;
    let auth = op.auth;
    let body_init = match op.body {
        Some(BodyEncoding::Form) => quote!(req.form_body();),
        Some(BodyEncoding::Json | BodyEncoding::JsonDocument) => quote!(req.json_body();),
        None => quote!(),
    };
    let (ret, exec, exec_meta) = match &op.response.body {
        Some(t) => (rust_type(t, ""), quote!(decode), quote!(decode_with_meta)),
        None => (quote!(()), quote!(empty), quote!(empty_with_meta)),
    };
    let next = if op.params.iter().any(|p| !p.required) {
        "set optional parameters, then `.send().await`"
    } else {
        "`.send().await` sends it"
    };
    let d = doc(&format!(
        "Request builder for `{}` (`{} {}`): {next}.",
        op.id, method, path
    ));
    let send_doc = doc(&format!(
        "Checks every parameter against the spec, then sends the request, retrying as the client's or this request's `RetryPolicy` allows.\n\nOn success (HTTP {}) returns {}.",
        op.response.status,
        if op.response.body.is_some() { "the decoded body" } else { "`()`" }
    ));
    let stream = op.response.pagination.as_ref().map(|p| {
        let page = &ret;
        let token = match &p.style {
            PageStyle::MetaNextToken { token_param, .. } => quote!(Some(#token_param)),
            PageStyle::MetaNextPageUrl | PageStyle::FlatNextPageUri => quote!(None),
        };
        let (page_size, limit_doc) = match &p.page_size {
            Some(ps) => {
                let (name, max) = (&ps.wire_name, ps.max);
                (
                    quote!(.page_size_param(#name, #max)),
                    format!(" `.limit(n)` stops after `n` items and, unless `{name}` is set, asks for pages of `n` items (at most {max})."),
                )
            }
            None => (quote!(), " `.limit(n)` stops after `n` items.".to_string()),
        };
        let d = doc(&format!(
            "Every item of the list (`{}`), page after page: the next page is requested only when the current one is used up, so memory stays that of one page.{limit_doc}",
            p.items_field
        ));
        let get_page_doc = doc("The page at `url`: a next- or previous-page URL (or URI) that an earlier page of this list gave, as Twilio's SDKs' `get_page`. The URL is used as given (this builder's other parameters are not added); it must be on the scheme, host and port this list is requested from, else the call fails with `Error::Pagination` and sends nothing.");
        quote! {
            #d
            pub fn stream(self) -> crate::runtime::ItemStream<#page> {
                crate::runtime::ItemStream::new(self.into_request(), #token)#page_size
            }

            #get_page_doc
            pub fn get_page(self, url: impl Into<String>) -> crate::runtime::Call<#page> {
                crate::runtime::Call::decode(crate::runtime::at_page_url(self.into_request(), url.into()))
            }
        }
    });
    quote! {
        #d
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #b {
            client: crate::Client,
            options: crate::runtime::RequestOptions,
            #(#fields,)*
        }

        crate::runtime::request_options!(#b);

        impl #b {
            #(#setters)*

            #send_doc
            #[inline]
            pub fn send(self) -> crate::runtime::Call<#ret> {
                crate::runtime::Call::#exec(self.into_request())
            }

            /// Like `send()`, but also returns the HTTP status and headers.
            #[inline]
            pub fn send_with_meta(self) -> crate::runtime::Call<crate::runtime::Response<#ret>> {
                crate::runtime::Call::#exec_meta(self.into_request())
            }

            #stream

            /// Checks every parameter and places it in the request.
            // Plain code outside the futures; `#[inline]`, like `send()`, so an
            // operation is compiled only in crates that call it.
            #[inline]
            fn into_request(self) -> Result<(crate::Client, crate::runtime::Request), crate::Error> {
                let #b { client, options, #(#names),* } = self;
                let #req_binding = crate::runtime::Request::new(reqwest::Method::#method_ident, #base, #path, #auth, options, crate::PII_MEMBERS);
                #body_init
                #accept_status
                #accept
                #oauth2
                #(#steps)*
                Ok((client, req))
            }
        }
    }
}

/// A `# Arguments` section listing each parameter's spec description.
pub(super) fn param_docs(params: &[Param]) -> String {
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
pub(super) fn arg_type(p: &Param, here: &str) -> TokenStream {
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
pub(super) fn stored_type(p: &Param, here: &str) -> TokenStream {
    match &p.ty {
        Type::Sid(n) => {
            let n = ident(n);
            quote!(Result<crate::sids::#n, crate::InvalidSid>)
        }
        Type::Array(inner) => match &**inner {
            Type::Sid(n) => {
                let n = ident(n);
                quote!(Result<Vec<crate::sids::#n>, crate::InvalidSid>)
            }
            _ => rust_type(&p.ty, here),
        },
        other => rust_type(other, here),
    }
}

pub(super) fn convert(p: &Param, v: &Ident) -> TokenStream {
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

/// Whether the Rust type of a parameter of type `ty` is `Copy`.
fn is_copy(ty: &Type) -> bool {
    matches!(
        ty,
        Type::I32
            | Type::I64
            | Type::F64
            | Type::Bool
            | Type::DateTime
            | Type::Date
            | Type::DateTimeRfc2822
    )
}

/// Whether [`convert`] passes the argument through unchanged.
pub(super) fn is_identity_conversion(ty: &Type) -> bool {
    !matches!(ty, Type::Sid(_) | Type::String | Type::Array(_))
}

pub(super) fn is_checked_sid(ty: &Type) -> bool {
    matches!(ty, Type::Sid(_)) || matches!(ty, Type::Array(i) if matches!(**i, Type::Sid(_)))
}

pub(super) fn constraint_note(p: &Param) -> String {
    let c = &p.constraints;
    let mut parts = vec![];
    // On a list, length limits apply to each item.
    let each = if matches!(p.ty, Type::Array(_)) {
        "each item "
    } else {
        ""
    };
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => parts.push(format!("{each}{a} to {b} characters")),
        (Some(a), None) => parts.push(format!("{each}at least {a} characters")),
        (None, Some(b)) => parts.push(format!("{each}at most {b} characters")),
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
    if let Some(shape) = c.any_sid {
        parts.push(
            match shape {
                crate::ir::SidShape::Uppercase => {
                    "a SID (two capital letters, 32 hexadecimal digits)"
                }
                crate::ir::SidShape::AnyCase => "a SID (two letters, 32 hexadecimal digits)",
            }
            .to_string(),
        );
    }
    if let Some(pattern) = &c.pattern {
        parts.push(format!("matches `{pattern}`"));
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

/// Checks an accessor parameter (kept as text) against this operation's stricter
/// declaration of it.
pub(super) fn path_check(p: &Param) -> TokenStream {
    let n = ident(&p.rust_name);
    let wire = &p.wire_name;
    let sid = match &p.ty {
        Type::Sid(s) => {
            let s = ident(s);
            quote!(<crate::sids::#s as crate::Sid>::parse(&#n).map_err(|e| e.for_param(#wire))?;)
        }
        _ => quote!(),
    };
    let checks = checks(p, &n);
    quote! { #sid #checks }
}

/// The statements in `send()` for one parameter: resolve, check, place.
pub(super) fn send_step(p: &Param, op: &Operation) -> TokenStream {
    let n = ident(&p.rust_name);
    let wire = &p.wire_name;
    let resolve = if is_checked_sid(&p.ty) {
        quote!(let #n = #n.map_err(|e| e.for_param(#wire))?;)
    } else {
        quote!()
    };
    let checks = checks(p, &n);
    let collapsible = match &p.ty {
        Type::CollapsibleMap { prefix } => Some(prefix.as_str()),
        _ => None,
    };
    let place = match p.location {
        // `prefixed-collapsible-map-AddOns`: `AddOns.<key>=<value>` pairs.
        Location::Query if collapsible.is_some() => {
            let prefix = collapsible.unwrap_or_default();
            quote!(req.query_map(#prefix, &#n);)
        }
        Location::Body if collapsible.is_some() && op.body == Some(BodyEncoding::Form) => {
            let prefix = collapsible.unwrap_or_default();
            quote!(req.form_map(#prefix, &#n);)
        }
        Location::Path => quote!(req.path(#wire, #n)?;),
        Location::Query => quote!(req.query(#wire, &#n)?;),
        Location::Header => quote!(req.header(#wire, &#n)?;),
        Location::Body => match op.body {
            Some(BodyEncoding::JsonDocument) => quote!(req.json_document(#wire, &#n)?;),
            Some(BodyEncoding::Json) => match &p.ty {
                // serde would write `time` values as numbers; Twilio wants ISO text.
                Type::DateTime | Type::Date => quote!(req.json_text(#wire, &#n, false)?;),
                Type::Array(inner) if matches!(**inner, Type::DateTime | Type::Date) => {
                    quote!(req.json_text(#wire, &#n, true)?;)
                }
                _ => quote!(req.json(#wire, &#n)?;),
            },
            _ => quote!(req.form(#wire, &#n)?;),
        },
    };
    // An optional parameter placed as text (not JSON) with nothing to check is
    // placed as its `Option` (`None` writes no value); a SID is resolved first.
    let as_option = checks.is_empty()
        && collapsible.is_none()
        && !matches!(
            (p.location, op.body),
            (
                Location::Body,
                Some(BodyEncoding::Json | BodyEncoding::JsonDocument)
            )
        );
    if p.required {
        quote! { #resolve #checks #place }
    } else if as_option {
        let resolve = is_checked_sid(&p.ty)
            .then(|| quote!(let #n = #n.transpose().map_err(|e| e.for_param(#wire))?;));
        quote! { #resolve #place }
    } else {
        quote! {
            if let Some(#n) = #n {
                #resolve #checks #place
            }
        }
    }
}

pub(super) fn checks(p: &Param, n: &Ident) -> TokenStream {
    let c = &p.constraints;
    let wire = &p.wire_name;
    let opt_u64 = |v: Option<u64>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let mut out = quote!();
    if c.min_length.is_some() || c.max_length.is_some() {
        let (a, b) = (opt_u64(c.min_length), opt_u64(c.max_length));
        out.extend(if matches!(p.ty, Type::Array(_)) {
            quote!(crate::runtime::validate::lengths(#wire, &#n, #a, #b)?;)
        } else {
            quote!(crate::runtime::validate::length(#wire, &#n, #a, #b)?;)
        });
    }
    if c.min_items.is_some() || c.max_items.is_some() {
        let (a, b) = (opt_u64(c.min_items), opt_u64(c.max_items));
        out.extend(quote!(crate::runtime::validate::items(#wire, #n.len(), #a, #b)?;));
    }
    if let Some(shape) = c.any_sid {
        let uppercase = shape == crate::ir::SidShape::Uppercase;
        out.extend(if matches!(p.ty, Type::Array(_)) {
            quote!(crate::runtime::validate::any_sids(#wire, &#n, #uppercase)?;)
        } else {
            quote!(crate::runtime::validate::any_sid(#wire, &#n, #uppercase)?;)
        });
    }
    if let Some(pattern) = &c.pattern {
        out.extend(if matches!(p.ty, Type::Array(_)) {
            quote!(crate::runtime::pattern::check_each(#wire, &#n, #pattern)?;)
        } else {
            quote!(crate::runtime::pattern::check(#wire, &#n, #pattern)?;)
        });
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

pub(super) fn number_literal(ty: &Type, value: &str) -> TokenStream {
    match ty {
        Type::I32 => Literal::i32_suffixed(value.parse().unwrap_or_default()).into_token_stream(),
        Type::I64 => Literal::i64_suffixed(value.parse().unwrap_or_default()).into_token_stream(),
        _ => Literal::f64_suffixed(value.parse().unwrap_or_default()).into_token_stream(),
    }
}
