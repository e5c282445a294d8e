//! Models: structs for object schemas and open enums for string enums.

use super::docs::{doc, inner_doc};
use super::{ident, rust_type, title};
use crate::ir::{Api, Model, ModelKind, Type, Variant, Version};
use crate::names::unraw;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

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

pub(super) fn models_rs(v: &Version, param_models: &BTreeSet<(String, String)>) -> TokenStream {
    let items = v.models.iter().map(|m| {
        let as_param = param_models.contains(&(v.module.clone(), m.name.clone()));
        model(v, m, as_param)
    });
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

pub(super) fn model(v: &Version, m: &Model, as_param: bool) -> TokenStream {
    let name = ident(&m.name);
    let text = if m.doc.is_empty() {
        format!("`{}`.", m.source)
    } else {
        m.doc.clone()
    };
    let d = doc(&text);
    match &m.kind {
        ModelKind::Struct {
            fields: model_fields,
        } => {
            let fields = model_fields.iter().map(|f| {
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
                    (Type::DateTimeRfc2822, false) => Some("crate::runtime::serde_time::rfc2822"),
                    (Type::DateTimeRfc2822, true) => {
                        Some("crate::runtime::serde_time::rfc2822::option")
                    }
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
            quote! {
                #d
                #[derive(#debug_derive Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields,)*
                }

                #debug_impl
                #to_param
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
                    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
                        out.push(self.as_str().to_string());
                        Ok(())
                    }
                }
            }
        }
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
                "`{p}` is {}.",
                x.tags
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
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
    let ser_arms = names
        .iter()
        .map(|n| quote!(#name::#n(x) => serde::Serialize::serialize(x, s),));
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
