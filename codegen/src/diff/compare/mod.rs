//! The comparison itself: walks both IRs and lists what changed, each change with
//! its kind and the facts about it ([`Facts`]); the verdicts come from the one
//! table in [`super::impact`].
//!
//! Identities: a version by module name, a resource by (version, name), an operation
//! by (version, HTTP method, path with placeholder names erased) so that a moved or
//! renamed Rust method is reported as such, and else, for a path that changed (its
//! case), by its Rust method (resource, method name, builder); a parameter by
//! location and wire name (path parameters by position: their names never reach
//! the wire), a model by (version, type name), a field by wire name, an enum value
//! by its wire value, a SID type by name, else by its prefixes (a rename).
//!
//! `side` indexes one IR and says what two types mean on the wire; `operations`,
//! `params` and `models` compare those parts; this file groups the changes (a new
//! resource is one entry, repeated description changes one entry).

use super::impact::{impact, Facts};
use super::{Change, ChangeKind as K, Group, OperationRef};
use crate::ir::{
    Api, BodyEncoding, Bound, Constraints, Location, Method, Model, ModelKind, Operation,
    PageStyle, Param, Resource, SidType, Type, Version,
};
use std::collections::{BTreeMap, BTreeSet};

mod models;
mod operations;
mod params;
mod side;

use models::*;
use operations::*;
use params::*;
use side::*;

/// Collects changes into groups.
#[derive(Default)]
struct Out {
    groups: BTreeMap<(String, Option<String>), Vec<Change>>,
    /// The operation being compared: every change pushed meanwhile names it.
    op: Option<OperationRef>,
}

/// A change's structured fields beyond its kind and text.
#[derive(Debug, Default, Clone)]
struct Extra {
    wire: Option<String>,
    old: Option<String>,
    new: Option<String>,
}

/// About the parameter, field or value `w` on the wire.
fn wire_named(w: &str) -> Extra {
    Extra {
        wire: Some(w.to_string()),
        ..Extra::default()
    }
}

/// About `w` (if any), which was `old` and is `new`.
fn values(w: Option<&str>, old: Option<String>, new: Option<String>) -> Extra {
    Extra {
        wire: w.map(String::from),
        old,
        new,
    }
}

fn op_ref(op: &Operation) -> OperationRef {
    OperationRef {
        operation_id: op.id.clone(),
        method: op.method.as_str().to_string(),
        path: op.path.clone(),
    }
}

impl Out {
    /// Adds a change to the group of `(version, resource)`, classified by the
    /// impact table from its kind and `facts`.
    fn push(
        &mut self,
        group: (&str, Option<&str>),
        target: String,
        kind: K,
        detail: String,
        facts: Facts,
    ) {
        self.push_x(group, target, kind, detail, facts, Extra::default())
    }

    fn push_x(
        &mut self,
        (version, resource): (&str, Option<&str>),
        target: String,
        kind: K,
        detail: String,
        facts: Facts,
        x: Extra,
    ) {
        let (http, rust) = impact(kind, &facts);
        self.groups
            .entry((version.to_string(), resource.map(String::from)))
            .or_default()
            .push(Change {
                target,
                kind,
                detail,
                http,
                rust,
                resource: resource.map(String::from),
                operation: self.op.clone(),
                wire_name: x.wire,
                old: x.old,
                new: x.new,
            });
    }
}

/// All changes from `old` to `new`, grouped and in a deterministic order.
pub(super) fn compare(old: &Api, new: &Api) -> Vec<Group> {
    let (o, n) = (Side::new(old), Side::new(new));
    let mut out = Out::default();
    sid_types(&mut out, old, new);
    unused_schemas(&mut out, old, new);
    versions(&mut out, &o, old, &n, new);
    operations(&mut out, &o, old, &n, new);
    models(&mut out, &o, old, &n, new);
    let mut groups = out.groups;
    group_new_resources(&mut groups);
    collapse_repeated_docs(&mut groups);
    groups
        .into_iter()
        .map(|((version, resource), mut changes)| {
            changes.sort();
            changes.dedup();
            Group {
                version,
                resource,
                changes,
            }
        })
        .collect()
}

type Groups = BTreeMap<(String, Option<String>), Vec<Change>>;

/// A new resource is one entry: its accessor, with its new operations (and the
/// names a reviewer searches for) and the new types only it uses. Anything else in
/// its group (a changed shared type) keeps its own row.
fn group_new_resources(groups: &mut Groups) {
    for changes in groups.values_mut() {
        let Some(i) = changes.iter().position(|c| c.kind == K::ResourceAdded) else {
            continue;
        };
        let mut head = changes.remove(i);
        let (mut ops, mut types) = (vec![], vec![]);
        changes.sort();
        changes.retain(|c| match c.kind {
            K::OperationAdded => {
                if let Some(op) = &c.operation {
                    ops.push(format!(
                        "`{}` (`{}`, `{} {}`)",
                        c.target, op.operation_id, op.method, op.path
                    ));
                }
                head.http = head.http.max(c.http);
                head.rust = head.rust.max(c.rust);
                false
            }
            K::ModelAdded => {
                types.push(format!("`{}`", c.new.as_deref().unwrap_or(&c.target)));
                head.rust = head.rust.max(c.rust);
                false
            }
            _ => true,
        });
        if !ops.is_empty() {
            head.detail.push_str(&format!(
                "; {} operation{}: {}",
                ops.len(),
                if ops.len() == 1 { "" } else { "s" },
                ops.join(", ")
            ));
        }
        if !types.is_empty() {
            head.detail
                .push_str(&format!("; new types {}", types.join(", ")));
        }
        changes.push(head);
    }
}

/// The same description change in three or more places of a version (24 resources
/// whose description changed) is one entry in the version's group, naming them.
fn collapse_repeated_docs(groups: &mut Groups) {
    let mut repeated: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for ((version, _), changes) in groups.iter() {
        for c in changes.iter().filter(|c| c.kind == K::Docs) {
            repeated
                .entry((version.clone(), c.detail.clone()))
                .or_default()
                .push(c.target.clone());
        }
    }
    repeated.retain(|_, targets| targets.len() >= 3);
    if repeated.is_empty() {
        return;
    }
    for ((version, _), changes) in groups.iter_mut() {
        changes.retain(|c| {
            c.kind != K::Docs || !repeated.contains_key(&(version.clone(), c.detail.clone()))
        });
    }
    groups.retain(|_, changes| !changes.is_empty());
    for ((version, detail), mut targets) in repeated {
        targets.sort();
        targets.dedup();
        let places: Vec<String> = targets.iter().map(|t| format!("`{t}`")).collect();
        groups.entry((version, None)).or_default().push(Change {
            target: format!("{} places", places.len()),
            kind: K::Docs,
            detail: format!("{detail}: {}", places.join(", ")),
            http: super::HttpImpact::Docs,
            rust: super::RustImpact::Patch,
            resource: None,
            operation: None,
            wire_name: None,
            old: None,
            new: None,
        });
    }
}

fn sid_types(out: &mut Out, old: &Api, new: &Api) {
    let by_name = |api: &Api| -> BTreeMap<String, Vec<String>> {
        api.sids
            .iter()
            .map(|s| (s.name.clone(), s.prefixes.clone()))
            .collect()
    };
    let (o, n) = (by_name(old), by_name(new));
    // A removed and an added type with the same prefixes (and no other such pair):
    // the one SID type, renamed.
    let gone: Vec<&String> = o.keys().filter(|k| !n.contains_key(*k)).collect();
    let came: Vec<&String> = n.keys().filter(|k| !o.contains_key(*k)).collect();
    let mut renamed: BTreeMap<&String, &String> = BTreeMap::new();
    for a in &gone {
        let from: Vec<_> = gone.iter().filter(|x| o[**x] == o[*a]).collect();
        let to: Vec<_> = came.iter().filter(|x| n[**x] == o[*a]).collect();
        if let ([_], [b]) = (&from[..], &to[..]) {
            renamed.insert(a, b);
        }
    }
    let renamed_to: BTreeSet<&String> = renamed.values().copied().collect();
    for name in o.keys().chain(n.keys()).collect::<BTreeSet<_>>() {
        let target = format!("sids::{name}");
        match (o.get(name), n.get(name)) {
            (Some(p), None) => match renamed.get(name) {
                Some(to) => out.push_x(
                    ("", None),
                    target,
                    K::SidTypeRenamed,
                    format!(
                        "SID type `{name}` renamed `{to}` (same prefix: {})",
                        prefixes(p)
                    ),
                    Facts::default(),
                    values(None, Some(name.clone()), Some(to.to_string())),
                ),
                None => out.push_x(
                    ("", None),
                    target,
                    K::SidTypeRemoved,
                    format!("SID type `{name}` ({}) removed", prefixes(p)),
                    Facts::default(),
                    values(None, Some(p.join("|")), None),
                ),
            },
            (None, Some(_)) if renamed_to.contains(name) => {}
            (None, Some(p)) => out.push_x(
                ("", None),
                target,
                K::SidTypeAdded,
                format!("SID type `{name}` ({}) added", prefixes(p)),
                Facts::default(),
                values(None, None, Some(p.join("|"))),
            ),
            (Some(a), Some(b)) if a != b => {
                let dropped = a.iter().any(|x| !b.contains(x));
                out.push_x(
                    ("", None),
                    target,
                    K::SidPrefixes,
                    format!(
                        "`{name}` accepts {} instead of {}",
                        prefixes(b),
                        prefixes(a)
                    ),
                    Facts {
                        narrowed: dropped,
                        ..Facts::default()
                    },
                    values(None, Some(a.join("|")), Some(b.join("|"))),
                )
            }
            _ => {}
        }
    }
}

/// Component schemas that no operation uses: nothing is generated for them, so
/// they are information for the reviewer (a model that later becomes used shows
/// up as a type added).
fn unused_schemas(out: &mut Out, old: &Api, new: &Api) {
    let (o, n): (BTreeSet<&String>, BTreeSet<&String>) = (
        old.unused_schemas.iter().collect(),
        new.unused_schemas.iter().collect(),
    );
    for name in n.difference(&o) {
        out.push_x(
            ("", None),
            name.to_string(),
            K::UnusedSchemaAdded,
            format!("schema `{name}` added to the spec, used by no operation: nothing generated"),
            Facts::default(),
            values(Some(name), None, None),
        );
    }
    for name in o.difference(&n) {
        out.push_x(
            ("", None),
            name.to_string(),
            K::UnusedSchemaRemoved,
            format!("unused schema `{name}` removed from the spec (or now used)"),
            Facts::default(),
            values(Some(name), None, None),
        );
    }
}

fn prefixes(p: &[String]) -> String {
    let list: Vec<String> = p.iter().map(|x| format!("`{x}…`")).collect();
    list.join(" or ")
}

fn versions(out: &mut Out, o: &Side, old: &Api, n: &Side, new: &Api) {
    let (ov, nv) = (versions_by_module(old), versions_by_module(new));
    for module in ov.keys().chain(nv.keys()).collect::<BTreeSet<_>>() {
        let accessor = format!("client.{module}()");
        match (ov.get(module), nv.get(module)) {
            (Some(_), None) => out.push(
                (module, None),
                accessor.clone(),
                K::VersionRemoved,
                format!("API version `{accessor}` removed"),
                Facts::default(),
            ),
            (None, Some(_)) => out.push(
                (module, None),
                accessor.clone(),
                K::VersionAdded,
                format!("API version `{accessor}` added"),
                Facts::default(),
            ),
            (Some(a), Some(b)) if a.type_name != b.type_name => out.push(
                (module, None),
                accessor.clone(),
                K::ResourceRenamed,
                format!("handle type `{}` renamed `{}`", a.type_name, b.type_name),
                Facts::default(),
            ),
            _ => {}
        }
        let (or, nr) = (
            resources_by_name(ov.get(module).copied()),
            resources_by_name(nv.get(module).copied()),
        );
        for name in or.keys().chain(nr.keys()).collect::<BTreeSet<_>>() {
            let group = Some(name.as_str());
            let target = format!("{name}(…)");
            match (or.get(name), nr.get(name)) {
                (Some(r), None) => out.push(
                    (module, group),
                    target,
                    K::ResourceRemoved,
                    format!("accessor `{}` removed", accessor_call(module, r)),
                    Facts::default(),
                ),
                (None, Some(r)) => out.push(
                    (module, group),
                    target,
                    K::ResourceAdded,
                    format!("accessor `{}` added", accessor_call(module, r)),
                    Facts::default(),
                ),
                (Some(a), Some(b)) => {
                    if a.type_name != b.type_name {
                        out.push(
                            (module, group),
                            target.clone(),
                            K::ResourceRenamed,
                            format!("handle type `{}` renamed `{}`", a.type_name, b.type_name),
                            Facts::default(),
                        );
                    }
                    if a.doc != b.doc {
                        out.push(
                            (module, group),
                            target.clone(),
                            K::Docs,
                            "resource description changed".into(),
                            Facts::default(),
                        );
                    }
                    account_default(out, (module, group), &target, module, a, b);
                    let ctx = ParamCtx {
                        version: module,
                        resource: name,
                        target: &target,
                        all_positional: true,
                        accounts: [a.client_account.as_deref(), b.client_account.as_deref()],
                    };
                    params(out, &ctx, o, &a.params, n, &b.params);
                }
                (None, None) => {}
            }
        }
    }
}

/// The account placeholder of resource `a` (old) and `b` (new) starting or
/// stopping to default to the client's account.
fn account_default(
    out: &mut Out,
    group: (&str, Option<&str>),
    target: &str,
    module: &str,
    a: &Resource,
    b: &Resource,
) {
    let (was, now) = (accessor_call(module, a), accessor_call(module, b));
    let detail = match (&a.client_account, &b.client_account) {
        (None, Some(w)) => format!(
            "`{{{w}}}` now defaults to the client's account: accessor `{was}` becomes `{now}`, and `.{}(…)` addresses another account",
            crate::lower::FOR_ACCOUNT
        ),
        (Some(w), None) => format!(
            "`{{{w}}}` no longer defaults to the client's account: accessor `{was}` becomes `{now}`, and `.{}(…)` is gone",
            crate::lower::FOR_ACCOUNT
        ),
        _ => return,
    };
    let wire = b.client_account.as_ref().or(a.client_account.as_ref());
    out.push_x(
        group,
        target.to_string(),
        K::AccountDefault,
        detail,
        Facts::default(),
        values(wire.map(String::as_str), Some(was), Some(now)),
    );
}

fn versions_by_module(api: &Api) -> BTreeMap<String, &Version> {
    api.versions.iter().map(|v| (v.module.clone(), v)).collect()
}

fn resources_by_name(v: Option<&Version>) -> BTreeMap<String, &Resource> {
    v.map(|v| v.resources.iter().map(|r| (r.name.clone(), r)).collect())
        .unwrap_or_default()
}

fn accessor_call(module: &str, r: &Resource) -> String {
    let args: Vec<&str> = r.accessor_params().map(|p| p.rust_name.as_str()).collect();
    format!("client.{module}().{}({})", r.name, args.join(", "))
}
