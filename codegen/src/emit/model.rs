//! Models: structs for object schemas and open enums for string enums.

use super::docs::{doc, inner_doc};
use super::{ident, rust_type, title};
use crate::ir::{Api, Model, ModelKind, Type, Version};
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
