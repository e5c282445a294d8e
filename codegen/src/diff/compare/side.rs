//! One side of the comparison, indexed, and what two types mean on the wire.

use super::*;

pub(super) type ModelKey = (String, String);

/// One side of the comparison, indexed.
pub(super) struct Side<'a> {
    pub(super) models: BTreeMap<ModelKey, &'a Model>,
    pub(super) sids: BTreeMap<&'a str, &'a SidType>,
    pub(super) uses: BTreeMap<ModelKey, Uses>,
}

/// Where a model is used.
#[derive(Debug, Default, Clone)]
pub(super) struct Uses {
    /// Resources (version, name) whose parameters or responses reach it.
    pub(super) resources: BTreeSet<(String, String)>,
    /// Carried by a request parameter.
    pub(super) request: bool,
    /// Carried by a response body.
    pub(super) response: bool,
}

impl<'a> Side<'a> {
    pub(super) fn new(api: &'a Api) -> Side<'a> {
        let models = api
            .versions
            .iter()
            .flat_map(|v| {
                v.models
                    .iter()
                    .map(move |m| ((v.module.clone(), m.name.clone()), m))
            })
            .collect();
        let sids = api.sids.iter().map(|s| (s.name.as_str(), s)).collect();
        let mut side = Side {
            models,
            sids,
            uses: BTreeMap::new(),
        };
        let mut uses: BTreeMap<ModelKey, Uses> = BTreeMap::new();
        for v in &api.versions {
            for r in &v.resources {
                let res = (v.module.clone(), r.name.clone());
                let params = r
                    .params
                    .iter()
                    .chain(r.operations.iter().flat_map(|o| &o.params));
                let request = params.map(|p| (&p.ty, true));
                let response = r
                    .operations
                    .iter()
                    .filter_map(|o| o.response.body.as_ref().map(|t| (t, false)));
                for (ty, is_request) in request.chain(response) {
                    let mut reached = BTreeSet::new();
                    side.reachable(ty, &mut reached);
                    for key in reached {
                        let u = uses.entry(key).or_default();
                        u.resources.insert(res.clone());
                        if is_request {
                            u.request = true;
                        } else {
                            u.response = true;
                        }
                    }
                }
            }
        }
        side.uses = uses;
        side
    }

    pub(super) fn model(&self, module: &str, name: &str) -> Option<&'a Model> {
        self.models
            .get(&(module.to_string(), name.to_string()))
            .copied()
    }

    /// Every model `ty` reaches, through fields of fields.
    fn reachable(&self, ty: &Type, out: &mut BTreeSet<ModelKey>) {
        match ty {
            Type::Model { module, name } if out.insert((module.clone(), name.clone())) => {
                match self.model(module, name).map(|m| &m.kind) {
                    Some(ModelKind::Struct { fields }) => {
                        for f in fields {
                            self.reachable(&f.ty, out);
                        }
                    }
                    // A `oneOf` body carries each of its alternatives.
                    Some(ModelKind::OneOf { variants, .. }) => {
                        for v in variants {
                            self.reachable(&v.ty, out);
                        }
                    }
                    _ => {}
                }
            }
            Type::Array(t) | Type::Map(t) => self.reachable(t, out),
            _ => {}
        }
    }

    pub(super) fn uses(&self, module: &str, name: &str) -> Uses {
        self.uses
            .get(&(module.to_string(), name.to_string()))
            .cloned()
            .unwrap_or_default()
    }
}

/// Whether two types, on their two sides, accept and produce the same JSON: model
/// and SID type names are Rust-only, so the models are compared by content (fields
/// by wire name, optionality and type; enum values) and SID types by prefixes.
pub(super) fn wire_eq(o: &Side, ot: &Type, n: &Side, nt: &Type) -> bool {
    wire_eq_in(o, ot, n, nt, &mut BTreeSet::new())
}

pub(super) fn wire_eq_in(
    o: &Side,
    ot: &Type,
    n: &Side,
    nt: &Type,
    seen: &mut BTreeSet<(ModelKey, ModelKey)>,
) -> bool {
    match (ot, nt) {
        (Type::Sid(a), Type::Sid(b)) => {
            o.sids.get(a.as_str()).map(|s| &s.prefixes)
                == n.sids.get(b.as_str()).map(|s| &s.prefixes)
        }
        (Type::Array(a), Type::Array(b)) | (Type::Map(a), Type::Map(b)) => {
            wire_eq_in(o, a, n, b, seen)
        }
        (
            Type::Model {
                module: om,
                name: on,
            },
            Type::Model {
                module: nm,
                name: nn,
            },
        ) => {
            // A pair already being compared (recursive types) is assumed equal here;
            // any difference shows up where the comparison started.
            if !seen.insert(((om.clone(), on.clone()), (nm.clone(), nn.clone()))) {
                return true;
            }
            let (Some(a), Some(b)) = (o.model(om, on), n.model(nm, nn)) else {
                return false;
            };
            match (&a.kind, &b.kind) {
                (ModelKind::Struct { fields: fa }, ModelKind::Struct { fields: fb }) => {
                    fa.len() == fb.len()
                        && fa.iter().all(|f| {
                            fb.iter()
                                .find(|g| g.wire_name == f.wire_name)
                                .is_some_and(|g| {
                                    g.optional == f.optional && wire_eq_in(o, &f.ty, n, &g.ty, seen)
                                })
                        })
                }
                (ModelKind::Enum { values: va }, ModelKind::Enum { values: vb }) => {
                    let wires = |v: &[crate::ir::EnumValue]| {
                        v.iter().map(|e| e.wire.clone()).collect::<BTreeSet<_>>()
                    };
                    wires(va) == wires(vb)
                }
                (
                    ModelKind::OneOf {
                        discriminator: da,
                        variants: va,
                    },
                    ModelKind::OneOf {
                        discriminator: db,
                        variants: vb,
                    },
                ) => {
                    da == db
                        && va.len() == vb.len()
                        && va.iter().zip(vb).all(|(x, y)| {
                            x.tags == y.tags
                                && x.closed_fields == y.closed_fields
                                && wire_eq_in(o, &x.ty, n, &y.ty, seen)
                        })
                }
                _ => false,
            }
        }
        _ => ot == nt,
    }
}

/// What a type change means on the wire, beyond the Rust names: `; on the wire:
/// SID prefix `UT…` (was `UO…`)`, `; on the wire: values added `inactive`, removed
/// `wrapup``. Empty when there is nothing to add.
pub(super) fn on_the_wire(o: &Side, ot: &Type, n: &Side, nt: &Type) -> String {
    let words = wire_words(o, ot, n, nt);
    if words.is_empty() {
        String::new()
    } else {
        format!("; on the wire: {words}")
    }
}

pub(super) fn wire_words(o: &Side, ot: &Type, n: &Side, nt: &Type) -> String {
    let sid = |side: &Side, name: &str| {
        side.sids
            .get(name)
            .map(|s| prefixes(&s.prefixes))
            .unwrap_or_default()
    };
    let enum_values = |side: &Side, t: &Type| -> Option<BTreeSet<String>> {
        let Type::Model { module, name } = t else {
            return None;
        };
        match &side.model(module, name)?.kind {
            ModelKind::Enum { values } => Some(values.iter().map(|v| v.wire.clone()).collect()),
            _ => None,
        }
    };
    match (ot, nt) {
        (Type::Sid(a), Type::Sid(b)) => {
            let (x, y) = (sid(o, a), sid(n, b));
            if x == y {
                format!("the same SID prefix {y}")
            } else {
                format!("SID prefix {y} (was {x})")
            }
        }
        (Type::Sid(a), _) => format!("no longer checked as a {} SID", sid(o, a)),
        (_, Type::Sid(b)) => format!("now a {} SID", sid(n, b)),
        (Type::Array(a), Type::Array(b)) | (Type::Map(a), Type::Map(b)) => wire_words(o, a, n, b),
        _ => match (enum_values(o, ot), enum_values(n, nt)) {
            (Some(x), Some(y)) => {
                let list = |v: Vec<&String>| {
                    v.iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let added = list(y.difference(&x).collect());
                let removed = list(x.difference(&y).collect());
                match (added.is_empty(), removed.is_empty()) {
                    (true, true) => "the same values".into(),
                    (false, true) => format!("values added {added}"),
                    (true, false) => format!("values removed {removed}"),
                    (false, false) => format!("values added {added}, removed {removed}"),
                }
            }
            _ => String::new(),
        },
    }
}

/// Whether every JSON value of type `a` is also one of type `b` (numbers only).
pub(super) fn widens(a: &Type, b: &Type) -> bool {
    matches!(
        (a, b),
        (Type::I32, Type::I64) | (Type::I32 | Type::I64, Type::F64)
    )
}

/// A type as the generated crate spells it (without module paths).
pub(super) fn show(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::F64 => "f64".into(),
        Type::Bool => "bool".into(),
        Type::DateTime | Type::DateTimeRfc2822 => "OffsetDateTime".into(),
        Type::Date => "Date".into(),
        Type::Sid(n) => n.clone(),
        Type::Model { name, .. } => name.clone(),
        Type::Array(t) => format!("Vec<{}>", show(t)),
        Type::Map(t) => format!("BTreeMap<String, {}>", show(t)),
        Type::Any => "serde_json::Value".into(),
        Type::CollapsibleMap { .. } => "BTreeMap<String, serde_json::Value>".into(),
    }
}
