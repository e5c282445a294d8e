//! Cargo features of a crate generated from many products (Twilio's whole
//! catalogue): one feature per product, named after the domain its versions
//! are served from (`flex` for `flex_v1` and `flex_v2`, `api` for `api_v2010`),
//! which compiles that product's version modules, the SID types they use, and
//! what they need of other products. With one feature on, no other product's
//! code is compiled.

use crate::ir::{Api, Param, Type, Version};
use crate::names::{snake, unraw};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The feature that compiles `v`: its product, the snake-case domain (`flex`,
/// `ip_messaging`, `preview_iam`).
pub fn product(v: &Version) -> String {
    unraw(&snake(&v.domain)).to_string()
}

/// Which feature compiles what.
#[derive(Debug, Default)]
pub(super) struct Features {
    /// Feature -> the other features it turns on, because its modules name
    /// types of theirs.
    pub needs: BTreeMap<String, BTreeSet<String>>,
    /// SID type -> the features whose modules use it.
    pub sids: BTreeMap<String, BTreeSet<String>>,
    /// The features whose modules check a `pattern` (they need `regex`).
    pub patterns: BTreeSet<String>,
}

impl Features {
    pub fn of(api: &Api) -> Features {
        let by_module: BTreeMap<&str, String> = api
            .versions
            .iter()
            .map(|v| (v.module.as_str(), product(v)))
            .collect();
        let mut f = Features::default();
        for v in &api.versions {
            let feature = product(v);
            f.needs.entry(feature.clone()).or_default();
            let mut types = vec![];
            let mut params: Vec<&Param> = vec![];
            for r in &v.resources {
                params.extend(&r.params);
                for o in &r.operations {
                    params.extend(o.params.iter().chain(&o.path_checks));
                    types.extend(&o.response.body);
                    types.extend(o.response.pagination.as_ref().map(|p| &p.item));
                }
            }
            if params.iter().any(|p| p.constraints.pattern.is_some()) {
                f.patterns.insert(feature.clone());
            }
            types.extend(params.iter().map(|p| &p.ty));
            for m in &v.models {
                match &m.kind {
                    crate::ir::ModelKind::Struct { fields } => {
                        types.extend(fields.iter().map(|f| &f.ty))
                    }
                    crate::ir::ModelKind::OneOf { variants, .. } => {
                        types.extend(variants.iter().map(|v| &v.ty))
                    }
                    crate::ir::ModelKind::Enum { .. } => {}
                }
            }
            let mut sids = BTreeSet::new();
            let mut modules = BTreeSet::new();
            for t in types {
                named(t, &mut sids, &mut modules);
            }
            for sid in sids {
                f.sids.entry(sid).or_default().insert(feature.clone());
            }
            for m in modules {
                match by_module.get(m.as_str()) {
                    Some(other) if *other != feature => {
                        f.needs
                            .entry(feature.clone())
                            .or_default()
                            .insert(other.clone());
                    }
                    _ => {}
                }
            }
        }
        f
    }
}

/// The SID types and model modules `t` names.
fn named(t: &Type, sids: &mut BTreeSet<String>, modules: &mut BTreeSet<String>) {
    match t {
        Type::Sid(name) => {
            sids.insert(name.clone());
        }
        Type::Model { module, .. } => {
            modules.insert(module.clone());
        }
        Type::Array(t) | Type::Map(t) => named(t, sids, modules),
        _ => {}
    }
}

/// `#[cfg(feature = "flex")]`, or `#[cfg(any(…))]` for several features (for
/// none: `any()`, never compiled).
pub(super) fn cfg<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The same condition as [`cfg`], as text (for files that are not printed
/// from tokens, such as the runtime's module list).
pub(super) fn cfg_text<'a>(features: impl IntoIterator<Item = &'a String>) -> String {
    let features: Vec<String> = features
        .into_iter()
        .map(|f| format!("feature = \"{f}\""))
        .collect();
    match features.as_slice() {
        [one] => format!("#[cfg({one})]"),
        many => format!("#[cfg(any({}))]", many.join(", ")),
    }
}

/// The `[features]` table: one line per product, with what it needs (`pattern`
/// is what turns on pattern checks: the runtime crate's `pattern` feature, or
/// `dep:regex` beside a vendored runtime); `full` turns on every product. No
/// product is on by default: a crate that uses one product compiles only that one.
pub(super) fn cargo_features(features: &Features, pattern: &str) -> String {
    let quoted = |names: &mut dyn Iterator<Item = String>| -> String {
        names
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = String::from(
        "\n# docs.rs documents every product.\n[package.metadata.docs.rs]\nall-features = true\n\n[features]\n# One feature per Twilio product; none is on by default.\ndefault = []\n",
    );
    s.push_str(&format!(
        "# Every product.\nfull = [{}]\n",
        quoted(&mut features.needs.keys().cloned())
    ));
    for (feature, needs) in &features.needs {
        let regex = features
            .patterns
            .contains(feature)
            .then(|| pattern.to_string());
        s.push_str(&format!(
            "{feature} = [{}]\n",
            quoted(&mut needs.iter().cloned().chain(regex))
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{cargo_features, cfg, Features};
    use crate::ir::{Api, Field, Model, ModelKind, Type, Version};

    fn version(module: &str, domain: &str, fields: Vec<Type>) -> Version {
        let fields = fields
            .into_iter()
            .enumerate()
            .map(|(n, ty)| Field {
                wire_name: format!("f{n}"),
                rust_name: format!("f{n}"),
                ty,
                optional: false,
                doc: String::new(),
                pii: false,
                format: None,
                boxed: false,
            })
            .collect();
        Version {
            module: module.into(),
            type_name: String::new(),
            domain: domain.into(),
            version: "v1".into(),
            resources: vec![],
            models: vec![Model {
                name: "M".into(),
                source: String::new(),
                doc: String::new(),
                kind: ModelKind::Struct { fields },
            }],
        }
    }

    /// Versions of one domain share a feature; a SID type is compiled for the
    /// features that use it; a model of another product turns that product on.
    #[test]
    fn features_follow_what_modules_use() {
        let sid = |n: &str| Type::Sid(n.into());
        let api = Api {
            sids: vec![],
            versions: vec![
                version("flex_v1", "flex", vec![sid("AccountSid")]),
                version(
                    "flex_v2",
                    "flex",
                    vec![Type::Array(Box::new(Type::Model {
                        module: "api_v2010".into(),
                        name: "Call".into(),
                    }))],
                ),
                version("api_v2010", "api", vec![sid("AccountSid"), sid("CallSid")]),
                version("ip_messaging_v1", "ip-messaging", vec![]),
            ],
            unused_schemas: vec![],
        };
        let f = Features::of(&api);
        let names = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
        assert_eq!(f.sids["AccountSid"], names(&["api", "flex"]));
        assert_eq!(f.sids["CallSid"], names(&["api"]));
        assert_eq!(f.needs["flex"], names(&["api"]));
        assert!(f.needs["api"].is_empty());
        assert_eq!(
            cargo_features(&f, "dep:regex"),
            "\n# docs.rs documents every product.\n[package.metadata.docs.rs]\nall-features = true\n\n[features]\n# One feature per Twilio product; none is on by default.\ndefault = []\n# Every product.\nfull = [\"api\", \"flex\", \"ip_messaging\"]\napi = []\nflex = [\"api\"]\nip_messaging = []\n"
        );
        assert_eq!(
            cfg(&f.sids["AccountSid"]).to_string(),
            "# [cfg (any (feature = \"api\" , feature = \"flex\"))]"
        );
    }
}
