//! Models: structs for object schemas and open enums for string enums.

use super::docs::{doc, inner_doc, verbatim};
use super::{ident, rust_type, version_title};
use crate::ir::{Api, Field, Model, ModelKind, PageStyle, Pagination, Type, Variant, Version};
use crate::names::{camel, unraw};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// The struct models some request parameter carries (they need `ToParam`).
pub(super) fn param_models(api: &Api) -> BTreeSet<(String, String)> {
    fn collect(t: &Type, out: &mut BTreeSet<(String, String)>) {
        match t {
            Type::Model { module, name } => {
                out.insert((module.clone(), name.clone()));
            }
            Type::Array(i) | Type::Map(i) => collect(i, out),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for v in &api.versions {
        for r in &v.resources {
            for p in r
                .params
                .iter()
                .chain(r.operations.iter().flat_map(|o| &o.params))
            {
                collect(&p.ty, &mut out);
            }
        }
    }
    out
}

/// Every model of `api`, by (version module, model name).
pub(super) fn models_by_name(api: &Api) -> BTreeMap<(&str, &str), &Model> {
    api.versions
        .iter()
        .flat_map(|v| {
            v.models
                .iter()
                .map(move |m| ((v.module.as_str(), m.name.as_str()), m))
        })
        .collect()
}

/// The struct models callers build: every model a request parameter reaches,
/// through struct fields, `oneOf` alternatives, lists and maps. Each gets a
/// constructor taking its required members and a setter per optional one, so
/// code outside the crate can build it although it is `#[non_exhaustive]`.
pub fn request_models(api: &Api) -> BTreeSet<(String, String)> {
    let index = models_by_name(api);
    let mut out = BTreeSet::new();
    let mut todo: Vec<&Type> = vec![];
    for v in &api.versions {
        for r in &v.resources {
            todo.extend(r.params.iter().map(|p| &p.ty));
            todo.extend(
                r.operations
                    .iter()
                    .flat_map(|o| o.params.iter().map(|p| &p.ty)),
            );
        }
    }
    while let Some(t) = todo.pop() {
        match t {
            Type::Model { module, name } => {
                if !out.insert((module.clone(), name.clone())) {
                    continue;
                }
                match index
                    .get(&(module.as_str(), name.as_str()))
                    .map(|m| &m.kind)
                {
                    Some(ModelKind::Struct { fields }) => todo.extend(fields.iter().map(|f| &f.ty)),
                    Some(ModelKind::OneOf { variants, .. }) => {
                        todo.extend(variants.iter().map(|v| &v.ty))
                    }
                    _ => {}
                }
            }
            Type::Array(i) | Type::Map(i) => todo.push(i),
            _ => {}
        }
    }
    out
}

/// The list-page models, keyed by (module, name), with how each is paged.
pub(super) fn page_models(api: &Api) -> BTreeMap<(String, String), &Pagination> {
    let mut out = BTreeMap::new();
    for op in api
        .versions
        .iter()
        .flat_map(|v| &v.resources)
        .flat_map(|r| &r.operations)
    {
        if let (Some(Type::Model { module, name }), Some(p)) =
            (&op.response.body, &op.response.pagination)
        {
            out.insert((module.clone(), name.clone()), p);
        }
    }
    out
}

/// The list models of a version that are emitted as `runtime::FlatPage`
/// aliases: model name -> (items member, marker type name). Decided up front,
/// so the models file can be built in parts on several threads.
pub(super) fn flat_pages<'a>(
    api: &Api,
    v: &'a Version,
    page_models: &BTreeMap<(String, String), &'a Pagination>,
) -> BTreeMap<&'a str, (&'a str, String)> {
    let mut out = BTreeMap::new();
    // Marker name -> items member: two members with one marker name (`calls`,
    // `Calls`) would clash, so the later list keeps its own struct.
    let mut markers: BTreeMap<String, &str> = BTreeMap::new();
    for m in &v.models {
        let key = (v.module.clone(), m.name.clone());
        let Some(member) = page_models
            .get(&key)
            .and_then(|p| flat_page_member(api, m, p))
        else {
            continue;
        };
        let marker = camel(member);
        if *markers.entry(marker.clone()).or_insert(member) == member {
            out.insert(m.name.as_str(), (member, marker));
        }
    }
    out
}

/// Where each model is used, in words (`returned by
/// \`client.flex_v1().teams(…).fetch(…)\``, `the \`meta\` member of
/// \`ListFlexTeamResponse\``): the docs of a model whose schema has no
/// description, which would otherwise say only its schema's id.
pub(super) type ModelUses = BTreeMap<(String, String), Uses>;

/// The calls that return a model, and the other places it appears.
#[derive(Default)]
pub(super) struct Uses {
    returned_by: Vec<String>,
    within: Vec<String>,
}

pub(super) fn model_uses(api: &Api) -> ModelUses {
    let mut uses: ModelUses = BTreeMap::new();
    let mut add = |ty: &Type, returned: bool, what: String| {
        if let Some(key) = named_model(ty) {
            let u = uses.entry(key).or_default();
            let list = if returned {
                &mut u.returned_by
            } else {
                &mut u.within
            };
            if !list.contains(&what) {
                list.push(what);
            }
        }
    };
    for v in &api.versions {
        for r in &v.resources {
            let accessor_args = if r.accessor_params().next().is_some() {
                "…"
            } else {
                ""
            };
            for op in &r.operations {
                let op_args = if op.params.iter().any(|p| p.required) {
                    "…"
                } else {
                    ""
                };
                let call = format!(
                    "`client.{}().{}({accessor_args}).{}({op_args})`",
                    unraw(&v.module),
                    unraw(&r.name),
                    unraw(&op.fn_name)
                );
                if let Some(body) = &op.response.body {
                    add(body, true, call.clone());
                }
                for p in &op.params {
                    add(
                        &p.ty,
                        false,
                        format!("the `{}` parameter of {call}", p.wire_name),
                    );
                }
            }
        }
        for m in &v.models {
            match &m.kind {
                ModelKind::Struct { fields } => {
                    for f in fields {
                        add(
                            &f.ty,
                            false,
                            format!("the `{}` member of `{}`", f.wire_name, m.name),
                        );
                    }
                }
                ModelKind::OneOf { variants, .. } => {
                    for x in variants {
                        add(
                            &x.ty,
                            false,
                            format!("the `{}` alternative of `{}`", x.name, m.name),
                        );
                    }
                }
                ModelKind::Enum { .. } => {}
            }
        }
    }
    uses
}

/// The model `ty` names, looking through lists and maps.
fn named_model(ty: &Type) -> Option<(String, String)> {
    match ty {
        Type::Model { module, name } => Some((module.clone(), name.clone())),
        Type::Array(inner) | Type::Map(inner) => named_model(inner),
        _ => None,
    }
}

/// `a`, `a and b`, `a, b and c`, `a, b, c and 4 more`: a handful is enough to
/// place a model (api_v2010 reuses some widely).
fn join_some(items: &[String]) -> String {
    const SHOWN: usize = 3;
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ if items.len() <= SHOWN => {
            format!(
                "{} and {}",
                items[..items.len() - 1].join(", "),
                items[items.len() - 1]
            )
        }
        _ => format!(
            "{} and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        ),
    }
}

/// `a`, `a and b`, `a, b and c`, every item named.
fn join_some_all(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A model's docs: its schema's description, else where it is used and its schema's id.
fn model_doc(v: &Version, m: &Model, uses: &ModelUses) -> String {
    if !m.doc.is_empty() {
        return m.doc.clone();
    }
    let key = (v.module.clone(), m.name.clone());
    let schema = if m.source == m.name {
        String::new()
    } else {
        format!(" (schema `{}`)", m.source)
    };
    let Some(u) = uses.get(&key) else {
        return format!("`{}`.", m.source);
    };
    let mut parts = vec![];
    if !u.returned_by.is_empty() {
        parts.push(format!("returned by {}", join_some(&u.returned_by)));
    }
    if !u.within.is_empty() {
        parts.push(join_some(&u.within));
    }
    let text = parts.join("; also ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}{schema}.", first.to_uppercase(), chars.as_str()),
        None => format!("`{}`.", m.source),
    }
}

/// The models file's module docs.
pub(super) fn models_head(v: &Version) -> TokenStream {
    inner_doc(&format!(
        "Types of {} request and response bodies.",
        version_title(v)
    ))
}

/// Some of a version's models, in order: each a type (and its impls) or, for a
/// `FlatPage` list, an alias.
#[allow(clippy::too_many_arguments)] // the per-API facts each part needs, computed once
pub(super) fn models_part(
    api: &Api,
    v: &Version,
    models: &[Model],
    flat: &BTreeMap<&str, (&str, String)>,
    param_models: &BTreeSet<(String, String)>,
    request_models: &BTreeSet<(String, String)>,
    page_models: &BTreeMap<(String, String), &Pagination>,
    uses: &ModelUses,
) -> TokenStream {
    let items = models.iter().map(|m| {
        let key = (v.module.clone(), m.name.clone());
        let page = page_models.get(&key);
        let text = model_doc(v, m, uses);
        if let (Some((member, marker)), Some(p)) = (flat.get(m.name.as_str()), page) {
            return flat_page(v, m, &text, &p.item, member, &format_ident!("{marker}"));
        }
        let as_param = param_models.contains(&key);
        let page = page.and_then(|p| page_impl(api, v, m, p));
        let model = model(api, v, m, &text, as_param, request_models.contains(&key));
        quote! { #model #page }
    });
    quote! { #(#items)* }
}

/// The `items` module of marker types naming the `FlatPage` lists' items
/// members (empty when the version has none).
pub(super) fn models_tail(flat: &BTreeMap<&str, (&str, String)>) -> TokenStream {
    let markers: BTreeMap<&str, &str> = flat.values().map(|(w, m)| (*w, m.as_str())).collect();
    if markers.is_empty() {
        return quote!();
    }
    let defs = markers.iter().map(|(wire, marker)| {
        let marker = format_ident!("{marker}");
        let d = doc(&format!("`{wire}`."));
        quote! {
            #d
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct #marker;

            impl crate::runtime::ItemsMember for #marker {
                const NAME: &'static str = #wire;
            }
        }
    });
    quote! {
        /// The names of the items members of this version's `FlatPage` lists.
        pub mod items {
            #(#defs)*
        }
    }
}

/// The paging members of an api_v2010-style list, beside its items, with the
/// types `runtime::FlatPage` gives them.
const FLAT_PAGE_MEMBERS: [(&str, Type); 8] = [
    ("first_page_uri", Type::String),
    ("next_page_uri", Type::String),
    ("previous_page_uri", Type::String),
    ("uri", Type::String),
    ("page", Type::I64),
    ("page_size", Type::I64),
    ("start", Type::I64),
    ("end", Type::I64),
];

/// The items member of a list response that is exactly a `runtime::FlatPage`:
/// flat paging, the eight paging members with their usual types, and the items.
/// Any other member (or type) keeps the list its own struct, so nothing is lost.
fn flat_page_member<'p>(api: &Api, m: &Model, p: &'p Pagination) -> Option<&'p str> {
    let fields = struct_fields(m)?;
    if p.style != PageStyle::FlatNextPageUri || fields.len() != FLAT_PAGE_MEMBERS.len() + 1 {
        return None;
    }
    let standard = fields.iter().all(|f| {
        f.wire_name == p.items_field
            || FLAT_PAGE_MEMBERS
                .iter()
                .any(|(name, ty)| f.wire_name == *name && f.ty == *ty)
    });
    // `FlatPage` reads its items as generated structs (`liberal::read::Model`).
    let items_ok = fields
        .iter()
        .any(|f| f.wire_name == p.items_field && f.ty == Type::Array(Box::new(p.item.clone())))
        && read_format(api, &p.item) == Some("Model");
    (standard && items_ok).then_some(p.items_field.as_str())
}

/// A list response that is a `runtime::FlatPage`: a type alias naming its items.
fn flat_page(
    v: &Version,
    m: &Model,
    text: &str,
    item: &Type,
    member: &str,
    marker: &Ident,
) -> TokenStream {
    let name = ident(&m.name);
    let item = rust_type(item, &v.module);
    let d = doc(&format!(
        "{text}\n\nA page of `{member}` items, with its paging members (see `FlatPage`)."
    ));
    quote! {
        #d
        pub type #name = crate::runtime::FlatPage<#item, items::#marker>;
    }
}

pub(super) fn model(
    api: &Api,
    v: &Version,
    m: &Model,
    text: &str,
    as_param: bool,
    built: bool,
) -> TokenStream {
    let name = ident(&m.name);
    let pii: Vec<String> = match &m.kind {
        ModelKind::Struct { fields } => fields
            .iter()
            .filter(|f| f.pii)
            .map(|f| format!("`{}`", unraw(&f.rust_name)))
            .collect(),
        _ => vec![],
    };
    let d = if pii.is_empty() {
        doc(text)
    } else {
        doc(&format!(
            "{text}\n\nIts `Debug` output hides {}: Twilio marks {} as personal data (PII), so `Debug` prints a redaction marker instead and logging a value does not log {}. The fields themselves, and the JSON that `Serialize` writes, hold the real values.",
            join_some_all(&pii),
            if pii.len() == 1 { "it" } else { "them" },
            if pii.len() == 1 { "it" } else { "them" },
        ))
    };
    match &m.kind {
        ModelKind::Struct {
            fields: model_fields,
        } => {
            let fields = model_fields.iter().map(|f| {
                let n = ident(&f.rust_name);
                let t = field_type(v, f);
                let text = if f.doc.is_empty() { &f.wire_name } else { &f.doc };
                let d = if f.pii {
                    doc(&format!("{text}\n\nPersonal data (PII): `Debug` prints a redaction marker instead of the value."))
                } else {
                    doc(text)
                };
                quote! { #d pub #n: #t }
            });
            let serde = struct_serde(api, &name, model_fields);
            // Fields marked `x-twilio.pii` print as `<redacted>` in Debug output.
            let has_pii = model_fields.iter().any(|f| f.pii);
            let debug_derive = (!has_pii).then(|| quote!(Debug,));
            let debug_impl = has_pii.then(|| {
                let entries = model_fields.iter().map(|f| {
                    let n = ident(&f.rust_name);
                    let label = unraw(&f.rust_name);
                    if f.pii {
                        quote!(.field(#label, &"<redacted>"))
                    } else {
                        quote!(.field(#label, &self.#n))
                    }
                });
                let type_name = &m.name;
                quote! {
                    impl std::fmt::Debug for #name {
                        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.debug_struct(#type_name) #(#entries)* .finish()
                        }
                    }
                }
            });
            let to_param = as_param.then(|| {
                quote! {
                    /// Sent as JSON text in a form, query or header parameter.
                    impl crate::runtime::ToParam for #name {
                        fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
                            out.push(serde_json::to_string(self).map_err(|e| e.to_string())?);
                            Ok(())
                        }
                    }
                }
            });
            let constructor = built.then(|| constructor(v, &m.name, model_fields));
            quote! {
                #d
                #[derive(#debug_derive Clone, PartialEq)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields,)*
                }

                #serde
                #debug_impl
                #to_param
                #constructor
            }
        }
        ModelKind::OneOf {
            discriminator,
            variants,
        } => one_of(v, &name, &d, discriminator.as_deref(), variants, as_param),
        ModelKind::Enum { values } => {
            let variants: Vec<Ident> = values
                .iter()
                .map(|e| format_ident!("{}", e.variant))
                .collect();
            let wires: Vec<&str> = values.iter().map(|e| e.wire.as_str()).collect();
            let vdocs = wires.iter().map(|w| doc(&format!("`{w}`")));
            quote! {
                #d
                // No `PartialOrd`/`Ord`: an order by variant would put `Other` last
                // and move with every value the spec adds; wire values have no order.
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #( #vdocs #variants, )*
                    /// A value this version of the crate does not know.
                    Other(String),
                }

                // `as_str`, `From<&str>`, `Display`, serde and `ToParam`.
                crate::runtime::open_enum!(#name { #( #variants = #wires, )* });
            }
        }
    }
}

/// `new(required…)` and one chainable setter per optional field, for a struct
/// callers build. A new optional member adds a setter (a minor change); only a
/// new required member changes `new` (major, as the API diff says).
fn constructor(v: &Version, type_name: &str, fields: &[Field]) -> TokenStream {
    let name = ident(type_name);
    // A value as the caller passes it (`impl Into<String>` for text) and the
    // expression that stores it in the field.
    let arg = |f: &Field| {
        let n = ident(&f.rust_name);
        let t = stored_type(&f.ty, &v.module);
        let (t, value, plain) = match f.ty {
            Type::String => (quote!(impl Into<String>), quote!(#n.into()), false),
            // Dates are stored as `runtime::Lenient` (for what servers send).
            Type::DateTime | Type::DateTimeRfc2822 | Type::Date => (
                rust_type(&f.ty, &v.module),
                quote!(crate::runtime::Lenient::Parsed(#n)),
                false,
            ),
            _ => (t, quote!(#n), true),
        };
        let (value, plain) = if f.boxed {
            (quote!(Box::new(#value)), false)
        } else {
            (value, plain)
        };
        (n, t, value, plain)
    };
    let required: Vec<&Field> = fields.iter().filter(|f| !f.optional).collect();
    let params = required.iter().map(|f| {
        let (n, t, _, _) = arg(f);
        quote!(#n: #t)
    });
    let inits = fields.iter().map(|f| {
        let (n, _, value, plain) = arg(f);
        if f.optional {
            quote!(#n: None)
        } else if plain {
            quote!(#n)
        } else {
            quote!(#n: #value)
        }
    });
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc = doc(&if required.is_empty() {
        format!("An empty `{type_name}`: every member is optional, `None` until set with the methods below.")
    } else {
        format!("Builds a `{type_name}` from its required members; the optional ones are `None` until set with the methods below.")
    });
    let setters = fields.iter().filter(|f| f.optional).map(|f| {
        let (n, t, value, _) = arg(f);
        // `new` is the constructor; a member of that name gets `with_new`.
        let setter = if unraw(&f.rust_name) == "new" {
            format_ident!("with_new")
        } else {
            n.clone()
        };
        let d = doc(&format!(
            "Sets `{}`{}",
            f.wire_name,
            if f.doc.is_empty() {
                ".".to_string()
            } else {
                format!(": {}", f.doc)
            }
        ));
        quote! {
            #d
            pub fn #setter(mut self, #n: #t) -> Self {
                self.#n = Some(#value);
                self
            }
        }
    });
    let default = required.is_empty().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            #many
            pub fn new(#(#params),*) -> Self {
                #name { #(#inits,)* }
            }
            #(#setters)*
        }
        #default
    }
}

/// A field's Rust type: `Option<_>` when optional, `Box<_>` when recursive.
/// A date or date-time (also inside a list or map) is a `runtime::Lenient`: a
/// value the server sends in another format stays readable instead of failing
/// the response.
fn field_type(v: &Version, f: &Field) -> TokenStream {
    let t = stored_type(&f.ty, &v.module);
    let t = if f.boxed { quote!(Box<#t>) } else { t };
    if f.optional {
        quote!(Option<#t>)
    } else {
        t
    }
}

/// `rust_type` with each date leaf wrapped in `runtime::Lenient`.
fn stored_type(ty: &Type, here: &str) -> TokenStream {
    match ty {
        Type::DateTime | Type::DateTimeRfc2822 | Type::Date => {
            let t = rust_type(ty, here);
            quote!(crate::runtime::Lenient<#t>)
        }
        Type::Array(item) => {
            let t = stored_type(item, here);
            quote!(Vec<#t>)
        }
        Type::Map(item) => {
            let t = stored_type(item, here);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        _ => rust_type(ty, here),
    }
}

/// How a member of this type is read from a response (`runtime::liberal::read`):
/// liberally, by the type of its leaf, for scalars, generated structs, string
/// enums and free-form values, and lists and maps of them. `None` for `oneOf`
/// enums, read by their own `Deserialize` (which keeps any value it cannot
/// match as `Other`).
fn read_format(api: &Api, ty: &Type) -> Option<&'static str> {
    match ty {
        Type::String | Type::Sid(_) => Some("Text"),
        Type::Bool => Some("Flag"),
        Type::I32 | Type::I64 | Type::F64 => Some("Num"),
        Type::DateTime => Some("Rfc3339"),
        Type::DateTimeRfc2822 => Some("Rfc2822"),
        Type::Date => Some("IsoDate"),
        Type::Array(item) | Type::Map(item) => read_format(api, item),
        Type::Model { module, name } => {
            let m = api
                .versions
                .iter()
                .find(|v| &v.module == module)?
                .models
                .iter()
                .find(|m| &m.name == name)?;
            match m.kind {
                ModelKind::Struct { .. } => Some("Model"),
                ModelKind::Enum { .. } => Some("Text"),
                ModelKind::OneOf { .. } => None,
            }
        }
        Type::Any | Type::CollapsibleMap { .. } => Some("Json"),
    }
}

/// `Serialize` and `Deserialize` of a struct, one `runtime::object_serde!` line
/// per field, instead of the derive (whose generic visitors were most of a large
/// crate's build time; see `runtime/object.rs`). Members are matched by their
/// wire names; optional fields that are `None` are not written.
fn struct_serde(api: &Api, name: &Ident, fields: &[Field]) -> TokenStream {
    // Written as text, one field per line (see `docs::verbatim`).
    let mut text = format!("crate::runtime::object_serde!({name} {{");
    for f in fields {
        let kind = if f.optional { "optional" } else { "required" };
        let format = read_format(api, &f.ty).map_or(String::new(), |r| format!("({r})"));
        text.push_str(&format!(
            "\n    {}: {:?} {kind}{format},",
            f.rust_name, f.wire_name
        ));
    }
    text.push_str(if fields.is_empty() {
        "});\n"
    } else {
        "\n});\n"
    });
    verbatim(text)
}

/// `impl Page` for a list response: its items and where the next page is.
/// `None` when the model's fields do not have the shape lowering classified (it
/// cannot happen for IR from `lower`, which checked them).
fn page_impl(api: &Api, v: &Version, m: &Model, p: &Pagination) -> Option<TokenStream> {
    let fields = struct_fields(m)?;
    let name = ident(&m.name);
    let items = fields.iter().find(|f| f.wire_name == p.items_field)?;
    let items_ident = ident(&items.rust_name);
    let item_ty = rust_type(&p.item, &v.module);
    let into_items = if items.optional {
        quote!(self.#items_ident.unwrap_or_default())
    } else {
        quote!(self.#items_ident)
    };
    // An expression of type `Option<&String>`: the next-page member, if present.
    let member = |fields: &[Field], base: TokenStream, wire: &str| -> Option<TokenStream> {
        let f = fields.iter().find(|f| f.wire_name == wire)?;
        let n = ident(&f.rust_name);
        Some(if f.optional {
            quote!(#base.#n.as_ref())
        } else {
            quote!(Some(&#base.#n))
        })
    };
    let (next, variant) = match &p.style {
        PageStyle::FlatNextPageUri => (member(fields, quote!(self), "next_page_uri")?, quote!(Uri)),
        PageStyle::MetaNextPageUrl | PageStyle::MetaNextToken { .. } => {
            let meta = fields.iter().find(|f| f.wire_name == "meta")?;
            let Type::Model { module, name } = &meta.ty else {
                return None;
            };
            let meta_model = api
                .versions
                .iter()
                .find(|v| &v.module == module)?
                .models
                .iter()
                .find(|m| &m.name == name)?;
            let (wire, variant) = match &p.style {
                PageStyle::MetaNextToken { token_member, .. } => {
                    (token_member.as_str(), quote!(Token))
                }
                _ => ("next_page_url", quote!(Url)),
            };
            let meta_ident = ident(&meta.rust_name);
            let inner = member(struct_fields(meta_model)?, quote!(m), wire)?;
            let next = if meta.optional {
                quote!(self.#meta_ident.as_ref().and_then(|m| #inner))
            } else {
                quote!({
                    let m = &self.#meta_ident;
                    #inner
                })
            };
            (next, variant)
        }
    };
    Some(quote! {
        impl crate::runtime::Page for #name {
            type Item = #item_ty;
            fn next_page(&self) -> Option<crate::runtime::NextPage> {
                let next: Option<&String> = #next;
                next.filter(|next| !next.is_empty())
                    .map(|next| crate::runtime::NextPage::#variant(next.clone()))
            }
            fn into_items(self) -> Vec<#item_ty> {
                #into_items
            }
        }
    })
}

fn struct_fields(m: &Model) -> Option<&[Field]> {
    match &m.kind {
        ModelKind::Struct { fields } => Some(fields),
        ModelKind::Enum { .. } | ModelKind::OneOf { .. } => None,
    }
}

/// A `oneOf` as a Rust enum. Decoding reads the value once as JSON and picks the
/// variant: by the discriminator member's value if there is one, else the first
/// alternative that decodes (skipping a closed object schema when the value has a
/// member it does not list). A value no alternative accepts is kept as `Other`,
/// so a new alternative on Twilio's side does not break decoding.
fn one_of(
    v: &Version,
    name: &Ident,
    d: &TokenStream,
    discriminator: Option<&str>,
    variants: &[Variant],
    as_param: bool,
) -> TokenStream {
    let names: Vec<Ident> = variants.iter().map(|x| ident(&x.name)).collect();
    let decls = variants.iter().zip(&names).map(|(x, n)| {
        let t = rust_type(&x.ty, &v.module);
        let t = if x.boxed { quote!(Box<#t>) } else { t };
        let text = match (&x.ty, discriminator) {
            (_, Some(p)) => format!(
                "`{p}` is {}{}",
                x.tags
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                match x.tags.first() {
                    Some(t) if x.tags.len() > 1 =>
                        format!(": serialisation sets `{t}` unless the struct holds one of these."),
                    Some(_) => ": serialisation sets it, whatever the struct holds.".to_string(),
                    None => ".".to_string(),
                }
            ),
            (Type::Model { .. }, None) => format!("A `{}`.", x.name),
            (_, None) => format!(
                "The alternative of type `{}`.",
                t.to_string().replace(' ', "")
            ),
        };
        let vd = doc(&text);
        quote! { #vd #n(#t) }
    });
    let wrap = |x: &Variant, n: &Ident| {
        if x.boxed {
            quote!(#name::#n(Box::new(x)))
        } else {
            quote!(#name::#n(x))
        }
    };
    let decode = match discriminator {
        Some(prop) => {
            let arms = variants.iter().zip(&names).map(|(x, n)| {
                let tags = &x.tags;
                let ctor = if x.boxed {
                    quote!(|x| #name::#n(Box::new(x)))
                } else {
                    quote!(#name::#n)
                };
                quote! {
                    #(Some(#tags))|* => serde_json::from_value(value).map(#ctor).map_err(serde::de::Error::custom),
                }
            });
            quote! {
                match value.get(#prop).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Ok(#name::Other(value)),
                }
            }
        }
        None => {
            let tries = variants.iter().zip(&names).map(|(x, n)| {
                let w = wrap(x, n);
                let attempt = quote! {
                    if let Ok(x) = serde_json::from_value(value.clone()) {
                        return Ok(#w);
                    }
                };
                match &x.closed_fields {
                    Some(fields) => quote! {
                        if crate::runtime::has_only_members(&value, &[#(#fields),*]) {
                            #attempt
                        }
                    },
                    None => attempt,
                }
            });
            quote! {
                #(#tries)*
                Ok(#name::Other(value))
            }
        }
    };
    // With a discriminator, each alternative is sent with its own tag,
    // whatever its struct holds.
    let ser_arms = variants.iter().zip(&names).map(|(x, n)| match discriminator {
        Some(prop) if !x.tags.is_empty() => {
            let tags = &x.tags;
            quote!(#name::#n(x) => crate::runtime::serialize_tagged(x, #prop, &[#(#tags),*], s),)
        }
        _ => quote!(#name::#n(x) => serde::Serialize::serialize(x, s),),
    });
    let to_param = as_param.then(|| {
        quote! {
            /// Sent as text if it is a string, else as JSON text.
            impl crate::runtime::ToParam for #name {
                fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
                    let value = serde_json::to_value(self).map_err(|e| e.to_string())?;
                    crate::runtime::ToParam::param_values(&value, out)
                }
            }
        }
    });
    quote! {
        #d
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls,)*
            /// A value none of the alternatives this version of the crate knows accepts.
            Other(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    #name::Other(x) => serde::Serialize::serialize(x, s),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                #decode
            }
        }

        #to_param
    }
}
