//! The comparison itself: walks both IRs and lists what changed, classified.
//!
//! Identities: a version by module name, a resource by (version, name), an operation
//! by (version, HTTP method, path with placeholder names erased) so that a moved or
//! renamed Rust method is reported as such, a parameter by location and wire name
//! (path parameters by position: their names never reach the wire), a model by
//! (version, type name), a field by wire name, an enum value by its wire value.

use super::{Change, ChangeKind as K, Group, HttpImpact as H, RustImpact as R};
use crate::ir::{
    Api, BodyEncoding, Bound, Constraints, Location, Method, Model, ModelKind, Operation,
    PageStyle, Param, Resource, SidType, Type, Version,
};
use std::collections::{BTreeMap, BTreeSet};

type ModelKey = (String, String);

/// One side of the comparison, indexed.
struct Side<'a> {
    models: BTreeMap<ModelKey, &'a Model>,
    sids: BTreeMap<&'a str, &'a SidType>,
    uses: BTreeMap<ModelKey, Uses>,
}

/// Where a model is used.
#[derive(Debug, Default, Clone)]
struct Uses {
    /// Resources (version, name) whose parameters or responses reach it.
    resources: BTreeSet<(String, String)>,
    /// Carried by a request parameter.
    request: bool,
    /// Carried by a response body.
    response: bool,
}

impl<'a> Side<'a> {
    fn new(api: &'a Api) -> Side<'a> {
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

    fn model(&self, module: &str, name: &str) -> Option<&'a Model> {
        self.models
            .get(&(module.to_string(), name.to_string()))
            .copied()
    }

    /// Every model `ty` reaches, through fields of fields.
    fn reachable(&self, ty: &Type, out: &mut BTreeSet<ModelKey>) {
        match ty {
            Type::Model { module, name } if out.insert((module.clone(), name.clone())) => {
                if let Some(Model {
                    kind: ModelKind::Struct { fields },
                    ..
                }) = self.model(module, name)
                {
                    for f in fields {
                        self.reachable(&f.ty, out);
                    }
                }
            }
            Type::Array(t) | Type::Map(t) => self.reachable(t, out),
            _ => {}
        }
    }

    fn uses(&self, module: &str, name: &str) -> Uses {
        self.uses
            .get(&(module.to_string(), name.to_string()))
            .cloned()
            .unwrap_or_default()
    }
}

/// Whether two types, on their two sides, accept and produce the same JSON: model
/// and SID type names are Rust-only, so the models are compared by content (fields
/// by wire name, optionality and type; enum values) and SID types by prefixes.
fn wire_eq(o: &Side, ot: &Type, n: &Side, nt: &Type) -> bool {
    wire_eq_in(o, ot, n, nt, &mut BTreeSet::new())
}

fn wire_eq_in(
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

/// Collects changes into groups.
#[derive(Default)]
struct Out {
    groups: BTreeMap<(String, Option<String>), Vec<Change>>,
}

impl Out {
    /// Adds a change to the group of `(version, resource)`.
    fn push(
        &mut self,
        (version, resource): (&str, Option<&str>),
        target: String,
        kind: K,
        detail: String,
        http: H,
        rust: R,
    ) {
        self.groups
            .entry((version.to_string(), resource.map(String::from)))
            .or_default()
            .push(Change {
                target,
                kind,
                detail,
                http,
                rust,
            });
    }
}

/// All changes from `old` to `new`, grouped and in a deterministic order.
pub(super) fn compare(old: &Api, new: &Api) -> Vec<Group> {
    let (o, n) = (Side::new(old), Side::new(new));
    let mut out = Out::default();
    sid_types(&mut out, old, new);
    versions(&mut out, &o, old, &n, new);
    operations(&mut out, &o, old, &n, new);
    models(&mut out, &o, old, &n, new);
    out.groups
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

fn sid_types(out: &mut Out, old: &Api, new: &Api) {
    let by_name = |api: &Api| -> BTreeMap<String, Vec<String>> {
        api.sids
            .iter()
            .map(|s| (s.name.clone(), s.prefixes.clone()))
            .collect()
    };
    let (o, n) = (by_name(old), by_name(new));
    for name in o.keys().chain(n.keys()).collect::<BTreeSet<_>>() {
        let target = format!("sids::{name}");
        match (o.get(name), n.get(name)) {
            (Some(p), None) => out.push(
                ("", None),
                target,
                K::SidTypeRemoved,
                format!("SID type `{name}` ({}) removed", prefixes(p)),
                H::None,
                R::Major,
            ),
            (None, Some(p)) => out.push(
                ("", None),
                target,
                K::SidTypeAdded,
                format!("SID type `{name}` ({}) added", prefixes(p)),
                H::None,
                R::Minor,
            ),
            (Some(a), Some(b)) if a != b => {
                let dropped = a.iter().any(|x| !b.contains(x));
                out.push(
                    ("", None),
                    target,
                    K::SidPrefixes,
                    format!(
                        "`{name}` accepts {} instead of {}",
                        prefixes(b),
                        prefixes(a)
                    ),
                    if dropped { H::Breaking } else { H::NonBreaking },
                    R::Patch,
                )
            }
            _ => {}
        }
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
                H::None,
                R::Major,
            ),
            (None, Some(_)) => out.push(
                (module, None),
                accessor.clone(),
                K::VersionAdded,
                format!("API version `{accessor}` added"),
                H::None,
                R::Minor,
            ),
            (Some(a), Some(b)) if a.type_name != b.type_name => out.push(
                (module, None),
                accessor.clone(),
                K::ResourceRenamed,
                format!("handle type `{}` renamed `{}`", a.type_name, b.type_name),
                H::None,
                R::Major,
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
                    H::None,
                    R::Major,
                ),
                (None, Some(r)) => out.push(
                    (module, group),
                    target,
                    K::ResourceAdded,
                    format!("accessor `{}` added", accessor_call(module, r)),
                    H::None,
                    R::Minor,
                ),
                (Some(a), Some(b)) => {
                    if a.type_name != b.type_name {
                        out.push(
                            (module, group),
                            target.clone(),
                            K::ResourceRenamed,
                            format!("handle type `{}` renamed `{}`", a.type_name, b.type_name),
                            H::None,
                            R::Major,
                        );
                    }
                    if a.doc != b.doc {
                        out.push(
                            (module, group),
                            target.clone(),
                            K::Docs,
                            "resource description changed".into(),
                            H::Docs,
                            R::Patch,
                        );
                    }
                    let ctx = ParamCtx {
                        version: module,
                        resource: name,
                        target: &target,
                        all_positional: true,
                    };
                    params(out, &ctx, o, &a.params, n, &b.params);
                }
                (None, None) => {}
            }
        }
    }
}

fn versions_by_module(api: &Api) -> BTreeMap<String, &Version> {
    api.versions.iter().map(|v| (v.module.clone(), v)).collect()
}

fn resources_by_name(v: Option<&Version>) -> BTreeMap<String, &Resource> {
    v.map(|v| v.resources.iter().map(|r| (r.name.clone(), r)).collect())
        .unwrap_or_default()
}

fn accessor_call(module: &str, r: &Resource) -> String {
    let args: Vec<&str> = r.params.iter().map(|p| p.rust_name.as_str()).collect();
    format!("client.{module}().{}({})", r.name, args.join(", "))
}

/// (version, method, path with placeholder names erased).
type OpKey = (String, Method, String);

fn op_index(api: &Api) -> BTreeMap<OpKey, (&Version, &Resource, &Operation)> {
    let mut ops = BTreeMap::new();
    for v in &api.versions {
        for r in &v.resources {
            for op in &r.operations {
                ops.insert(
                    (v.module.clone(), op.method, erase_placeholders(&op.path)),
                    (v, r, op),
                );
            }
        }
    }
    ops
}

/// `/v2/Users/{Sid}` -> `/v2/Users/{}`.
fn erase_placeholders(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push_str("{}");
            }
            '}' => in_placeholder = false,
            _ if in_placeholder => {}
            _ => out.push(c),
        }
    }
    out
}

fn operations(out: &mut Out, o: &Side, old: &Api, n: &Side, new: &Api) {
    let (oi, ni) = (op_index(old), op_index(new));
    for key in oi.keys().chain(ni.keys()).collect::<BTreeSet<_>>() {
        let module = key.0.as_str();
        match (oi.get(key), ni.get(key)) {
            (Some((_, r, op)), None) => out.push(
                (module, Some(&r.name)),
                op.fn_name.clone(),
                K::OperationRemoved,
                format!("`{} {}` removed (`{}`)", op.method.as_str(), op.path, op.id),
                H::Breaking,
                R::Major,
            ),
            (None, Some((_, r, op))) => out.push(
                (module, Some(&r.name)),
                op.fn_name.clone(),
                K::OperationAdded,
                format!(
                    "`{} {}` added: `{}.{}(…)`",
                    op.method.as_str(),
                    op.path,
                    accessor_call(module, r),
                    op.fn_name
                ),
                H::NonBreaking,
                R::Minor,
            ),
            (Some(a), Some(b)) => operation(out, module, o, *a, n, *b),
            (None, None) => {}
        }
    }
}

fn operation(
    out: &mut Out,
    module: &str,
    o: &Side,
    (_, or, a): (&Version, &Resource, &Operation),
    n: &Side,
    (_, nr, b): (&Version, &Resource, &Operation),
) {
    let group = Some(nr.name.as_str());
    let target = b.fn_name.clone();
    let push = |out: &mut Out, kind, detail: String, http, rust| {
        out.push((module, group), target.clone(), kind, detail, http, rust)
    };
    if or.name != nr.name || a.fn_name != b.fn_name {
        push(
            out,
            K::OperationRenamed,
            format!(
                "`{} {}` is now `{}().{}` (was `{}().{}`)",
                b.method.as_str(),
                b.path,
                nr.name,
                b.fn_name,
                or.name,
                a.fn_name
            ),
            H::None,
            R::Major,
        );
    }
    if a.builder != b.builder {
        push(
            out,
            K::OperationRenamed,
            format!(
                "request builder type `{}` renamed `{}`",
                a.builder, b.builder
            ),
            H::None,
            R::Major,
        );
    }
    if a.doc != b.doc {
        push(
            out,
            K::Docs,
            "operation description changed".into(),
            H::Docs,
            R::Patch,
        );
    }
    if a.base_url != b.base_url {
        push(
            out,
            K::OperationChanged,
            format!("served from `{}` (was `{}`)", b.base_url, a.base_url),
            H::Breaking,
            R::Patch,
        );
    }
    if a.auth != b.auth {
        let (detail, http) = if b.auth {
            ("now requires account credentials", H::Breaking)
        } else {
            ("no longer requires account credentials", H::NonBreaking)
        };
        push(out, K::OperationChanged, detail.into(), http, R::Patch);
    }
    if a.oauth2 != b.oauth2 {
        let (detail, http) = match (&a.oauth2, &b.oauth2) {
            (_, Some(t)) => (
                format!(
                    "accepts an OAuth 2 access token from `{}{}`",
                    t.base_url, t.path
                ),
                // A token from another endpoint, or a scheme the caller has no
                // credentials for yet, fails where the call used to succeed.
                H::Breaking,
            ),
            (_, None) => (
                "no longer accepts an OAuth 2 access token".into(),
                H::Breaking,
            ),
        };
        push(out, K::OperationChanged, detail, http, R::Patch);
    }
    let body_change = match (a.body, b.body) {
        (None, Some(e)) => Some((
            format!("request body added, as {}", content_type(e)),
            H::NonBreaking,
        )),
        (Some(e), None) => Some((
            format!("request body ({}) removed", content_type(e)),
            H::Breaking,
        )),
        (Some(x), Some(y)) if x != y => Some((
            format!(
                "request body is {} (was {})",
                content_type(y),
                content_type(x)
            ),
            H::Breaking,
        )),
        _ => None,
    };
    if let Some((detail, http)) = body_change {
        // The crate encodes the body itself: callers' code is unaffected.
        push(out, K::ContentType, detail, http, R::Patch);
    }
    if a.response.status != b.response.status {
        push(
            out,
            K::OperationChanged,
            format!(
                "success status {} (was {})",
                b.response.status, a.response.status
            ),
            H::Breaking,
            R::Patch,
        );
    }
    if a.response.body != b.response.body {
        let show_body = |t: &Option<Type>| t.as_ref().map(show).unwrap_or_else(|| "()".into());
        let http = match (&a.response.body, &b.response.body) {
            (Some(x), Some(y)) if wire_eq(o, x, n, y) => H::None,
            (None, Some(_)) => H::NonBreaking,
            _ => H::Breaking,
        };
        push(
            out,
            K::ResponseType,
            format!(
                "`send()` returns `{}` (was `{}`)",
                show_body(&b.response.body),
                show_body(&a.response.body)
            ),
            http,
            R::Major,
        );
    }
    pagination(
        &mut |kind, detail, http, rust| push(out, kind, detail, http, rust),
        o,
        a,
        n,
        b,
    );
    let ctx = ParamCtx {
        version: module,
        resource: &nr.name,
        target: &b.fn_name,
        all_positional: false,
    };
    params(out, &ctx, o, &a.params, n, &b.params);
}

/// A list response's paging: the model implements the runtime's `Page` trait
/// (`type Item`, `next_page()`, `into_items()`) when the IR has a `Pagination`.
fn pagination(
    push: &mut dyn FnMut(K, String, H, R),
    o: &Side,
    a: &Operation,
    n: &Side,
    b: &Operation,
) {
    let body = |op: &Operation| op.response.body.as_ref().map(show).unwrap_or_default();
    match (&a.response.pagination, &b.response.pagination) {
        (None, Some(p)) => push(
            K::Pagination,
            format!(
                "now a paged list: items in `{}`, next page by {}; `{}` implements `Page`",
                p.items_field,
                page_style(&p.style),
                body(b)
            ),
            H::NonBreaking,
            R::Minor,
        ),
        (Some(p), None) => push(
            K::Pagination,
            format!(
                "no longer a paged list (was: items in `{}`, next page by {}); `{}` does not implement `Page`",
                p.items_field,
                page_style(&p.style),
                body(b)
            ),
            H::Breaking,
            R::Major,
        ),
        (Some(x), Some(y)) => {
            if x.items_field != y.items_field {
                push(
                    K::Pagination,
                    format!(
                        "page items in `{}` (was `{}`)",
                        y.items_field, x.items_field
                    ),
                    H::Breaking,
                    R::Patch,
                );
            }
            if x.style != y.style {
                push(
                    K::Pagination,
                    format!(
                        "next page by {} (was {})",
                        page_style(&y.style),
                        page_style(&x.style)
                    ),
                    H::Breaking,
                    // `Page::next_page()` keeps its signature; `NextPage` is
                    // `#[non_exhaustive]` and the client follows either kind.
                    R::Patch,
                );
            }
            if x.item != y.item {
                push(
                    K::Pagination,
                    format!(
                        "`Page::Item` is `{}` (was `{}`)",
                        show(&y.item),
                        show(&x.item)
                    ),
                    if wire_eq(o, &x.item, n, &y.item) {
                        H::None
                    } else {
                        H::Breaking
                    },
                    R::Major,
                );
            }
        }
        (None, None) => {}
    }
}

fn page_style(s: &PageStyle) -> String {
    match s {
        PageStyle::MetaNextPageUrl => "`meta.next_page_url`".into(),
        PageStyle::MetaNextToken {
            token_param,
            token_member,
        } => {
            format!("`meta.{token_member}` sent back as `{token_param}`")
        }
        PageStyle::FlatNextPageUri => "`next_page_uri`".into(),
    }
}

fn content_type(e: BodyEncoding) -> &'static str {
    match e {
        BodyEncoding::Form => "`application/x-www-form-urlencoded`",
        BodyEncoding::Json | BodyEncoding::JsonDocument => "`application/json`",
    }
}

/// Where a parameter list belongs.
struct ParamCtx<'a> {
    version: &'a str,
    resource: &'a str,
    target: &'a str,
    /// Resource accessors take every parameter as an argument; operations take the
    /// required ones as arguments and the optional ones through setters.
    all_positional: bool,
}

impl ParamCtx<'_> {
    fn is_argument(&self, p: &Param) -> bool {
        self.all_positional || p.required
    }

    /// `required body parameter `Email` (argument `email`)`.
    fn describe(&self, p: &Param) -> String {
        let place = match p.location {
            Location::Path => "path parameter",
            Location::Query => "query parameter",
            Location::Header => "header",
            Location::Body => "body parameter",
        };
        let rust = if self.is_argument(p) {
            format!("argument `{}`", p.rust_name)
        } else {
            format!("setter `.{}(…)`", p.rust_name)
        };
        let required = if p.required { "required" } else { "optional" };
        format!("{required} {place} `{}` ({rust})", p.wire_name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ParamKey {
    /// The n-th path parameter: placeholder names are not on the wire.
    Path(usize),
    Named(Location, String),
}

fn param_keys(ps: &[Param]) -> BTreeMap<ParamKey, &Param> {
    let mut n = 0;
    ps.iter()
        .map(|p| {
            let key = if p.location == Location::Path {
                n += 1;
                ParamKey::Path(n - 1)
            } else {
                ParamKey::Named(p.location, p.wire_name.clone())
            };
            (key, p)
        })
        .collect()
}

fn params(out: &mut Out, ctx: &ParamCtx, o: &Side, old: &[Param], n: &Side, new: &[Param]) {
    // Arguments are positional: the types in order are the API, their names are not.
    let arg_types = |ps: &[Param]| -> Vec<Type> {
        ps.iter()
            .filter(|p| ctx.is_argument(p))
            .map(|p| p.ty.clone())
            .collect()
    };
    let same_args = arg_types(old) == arg_types(new);
    let arg_change = if same_args { R::Patch } else { R::Major };
    let (ok, nk) = (param_keys(old), param_keys(new));
    let mut push = |kind, detail: String, http, rust| {
        out.push(
            (ctx.version, Some(ctx.resource)),
            ctx.target.to_string(),
            kind,
            detail,
            http,
            rust,
        )
    };
    for key in ok.keys().chain(nk.keys()).collect::<BTreeSet<_>>() {
        match (ok.get(key), nk.get(key)) {
            (Some(a), None) => push(
                K::ParamRemoved,
                format!("{} removed", ctx.describe(a)),
                H::Breaking,
                if ctx.is_argument(a) {
                    arg_change
                } else {
                    R::Major
                },
            ),
            (None, Some(b)) => push(
                K::ParamAdded,
                format!("{} added", ctx.describe(b)),
                if b.required {
                    H::Breaking
                } else {
                    H::NonBreaking
                },
                if ctx.is_argument(b) {
                    arg_change
                } else {
                    R::Minor
                },
            ),
            (Some(a), Some(b)) => {
                // Only path parameters can match under another wire name.
                let placeholder = if a.wire_name != b.wire_name {
                    format!(
                        "path placeholder `{{{}}}` renamed `{{{}}}` (not sent on the wire)",
                        a.wire_name, b.wire_name
                    )
                } else {
                    String::new()
                };
                if a.required != b.required {
                    let (detail, http) = if b.required {
                        ("now required", H::Breaking)
                    } else {
                        ("now optional", H::NonBreaking)
                    };
                    push(
                        K::ParamRequired,
                        format!("`{}` {detail}: {}", b.wire_name, ctx.describe(b)),
                        http,
                        // Argument <-> setter, unless both are arguments (accessors).
                        if ctx.is_argument(a) == ctx.is_argument(b) {
                            R::Patch
                        } else {
                            R::Major
                        },
                    );
                } else if a.rust_name != b.rust_name {
                    let sep = if placeholder.is_empty() { "" } else { "; " };
                    push(
                        K::ParamRenamed,
                        format!(
                            "{placeholder}{sep}`{}` is {} (was `{}`)",
                            b.wire_name,
                            if ctx.is_argument(b) {
                                format!("argument `{}`", b.rust_name)
                            } else {
                                format!("setter `.{}(…)`", b.rust_name)
                            },
                            a.rust_name
                        ),
                        H::None,
                        // A renamed argument is still called the same way.
                        if ctx.is_argument(b) {
                            R::Patch
                        } else {
                            R::Major
                        },
                    );
                } else if !placeholder.is_empty() {
                    push(K::ParamRenamed, placeholder, H::None, R::Patch);
                }
                if a.ty != b.ty {
                    push(
                        K::ParamType,
                        format!(
                            "`{}` type `{}` (was `{}`)",
                            b.wire_name,
                            show(&b.ty),
                            show(&a.ty)
                        ),
                        if wire_eq(o, &a.ty, n, &b.ty) {
                            H::None
                        } else if widens(&a.ty, &b.ty) {
                            // Every value sent before is still accepted.
                            H::NonBreaking
                        } else {
                            H::Breaking
                        },
                        R::Major,
                    );
                }
                if a.constraints != b.constraints {
                    let c = constraint_changes(&a.constraints, &b.constraints);
                    push(
                        K::ParamConstraints,
                        format!(
                            "`{}` checks: {} (checked by the crate before sending)",
                            b.wire_name,
                            c.text.join(", ")
                        ),
                        if c.tighter {
                            H::Breaking
                        } else {
                            H::NonBreaking
                        },
                        R::Patch,
                    );
                }
                if a.doc != b.doc {
                    push(
                        K::Docs,
                        format!("description of `{}` changed", b.wire_name),
                        H::Docs,
                        R::Patch,
                    );
                }
            }
            (None, None) => {}
        }
    }
}

struct ConstraintChanges {
    text: Vec<String>,
    /// Some value accepted before is refused now.
    tighter: bool,
}

fn constraint_changes(a: &Constraints, b: &Constraints) -> ConstraintChanges {
    let mut c = ConstraintChanges {
        text: vec![],
        tighter: false,
    };
    let opt = |v: Option<String>| v.unwrap_or_else(|| "none".into());
    // `lower`: a lower bound (a larger value is tighter); otherwise an upper bound.
    let mut count = |name: &str, x: Option<u64>, y: Option<u64>, lower: bool| {
        if x == y {
            return;
        }
        c.text.push(format!(
            "`{name}` {} (was {})",
            opt(y.map(|v| v.to_string())),
            opt(x.map(|v| v.to_string()))
        ));
        c.tighter |= match (x, y) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(x), Some(y)) => (y > x) == lower,
            (None, None) => false,
        };
    };
    count("minLength", a.min_length, b.min_length, true);
    count("maxLength", a.max_length, b.max_length, false);
    count("minItems", a.min_items, b.min_items, true);
    count("maxItems", a.max_items, b.max_items, false);
    let mut bound = |name: &str, x: &Option<Bound>, y: &Option<Bound>, lower: bool| {
        if x == y {
            return;
        }
        let fmt = |b: &Option<Bound>| {
            opt(b
                .as_ref()
                .map(|b| format!("{}{}", b.value, if b.exclusive { " exclusive" } else { "" })))
        };
        c.text.push(format!("`{name}` {} (was {})", fmt(y), fmt(x)));
        c.tighter |= match (x, y) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(x), Some(y)) => {
                // Bounds are kept as shortest decimal text; compare them as numbers.
                let (xv, yv) = (
                    x.value.parse::<f64>().unwrap_or(f64::NAN),
                    y.value.parse::<f64>().unwrap_or(f64::NAN),
                );
                if xv == yv {
                    y.exclusive && !x.exclusive
                } else if lower {
                    yv > xv
                } else {
                    yv < xv
                }
            }
            (None, None) => false,
        };
    };
    bound("minimum", &a.minimum, &b.minimum, true);
    bound("maximum", &a.maximum, &b.maximum, false);
    c
}

fn models(out: &mut Out, o: &Side, old: &Api, n: &Side, new: &Api) {
    let index = |api: &Api| -> BTreeMap<ModelKey, ()> {
        api.versions
            .iter()
            .flat_map(|v| {
                v.models
                    .iter()
                    .map(move |m| ((v.module.clone(), m.name.clone()), ()))
            })
            .collect()
    };
    let (oi, ni) = (index(old), index(new));
    let (old_flat, new_flat) = (
        crate::emit::flat_page_models(old),
        crate::emit::flat_page_models(new),
    );
    let new_built = crate::emit::request_models(new);
    for (module, name) in oi.keys().chain(ni.keys()).collect::<BTreeSet<_>>() {
        let (a, b) = (o.model(module, name), n.model(module, name));
        // Grouped with the one resource that uses the model, else version-wide.
        let uses = if b.is_some() {
            n.uses(module, name)
        } else {
            o.uses(module, name)
        };
        let group = match uses.resources.iter().collect::<Vec<_>>()[..] {
            [(m, r)] if m == module => Some(r.clone()),
            _ => None,
        };
        let target = format!("models::{name}");
        let mut push = |kind, detail: String, http, rust| {
            out.push(
                (module, group.as_deref()),
                target.clone(),
                kind,
                detail,
                http,
                rust,
            )
        };
        let (a, b) = match (a, b) {
            (Some(a), None) => {
                push(
                    K::ModelRemoved,
                    format!("type `{}` removed", a.name),
                    H::None,
                    R::Major,
                );
                continue;
            }
            (None, Some(b)) => {
                push(
                    K::ModelAdded,
                    format!("type `{}` added", b.name),
                    H::None,
                    R::Minor,
                );
                continue;
            }
            (Some(a), Some(b)) => (a, b),
            (None, None) => continue,
        };
        if a.doc != b.doc {
            push(
                K::Docs,
                "type description changed".into(),
                H::Docs,
                R::Patch,
            );
        }
        let key = (module.clone(), name.clone());
        let (flat_a, flat_b) = (old_flat.contains(&key), new_flat.contains(&key));
        if flat_a != flat_b {
            let form = |flat| {
                if flat {
                    "`FlatPage`, items in `items`"
                } else {
                    "its own struct, items in their named field"
                }
            };
            push(
                K::ModelKind,
                format!(
                    "list `{}` becomes {} (was {})",
                    b.name,
                    form(flat_b),
                    form(flat_a)
                ),
                H::None,
                R::Major,
            );
        }
        match (&a.kind, &b.kind) {
            (ModelKind::Struct { fields: fa }, ModelKind::Struct { fields: fb }) => {
                let fa: BTreeMap<&str, _> = fa.iter().map(|f| (f.wire_name.as_str(), f)).collect();
                let fb: BTreeMap<&str, _> = fb.iter().map(|f| (f.wire_name.as_str(), f)).collect();
                for wire in fa.keys().chain(fb.keys()).collect::<BTreeSet<_>>() {
                    match (fa.get(wire), fb.get(wire)) {
                        (Some(f), None) => push(
                            K::FieldRemoved,
                            format!(
                                "field `{wire}` (`{}: {}`) removed",
                                f.rust_name,
                                field_type(f)
                            ),
                            H::Breaking,
                            R::Major,
                        ),
                        (None, Some(f)) => push(
                            K::FieldAdded,
                            format!(
                                "field `{wire}` (`{}: {}`) added",
                                f.rust_name,
                                field_type(f)
                            ),
                            // A request object with a new member that must be sent breaks senders.
                            if uses.request && !f.optional {
                                H::Breaking
                            } else {
                                H::NonBreaking
                            },
                            // The struct is `#[non_exhaustive]`: nobody outside the crate
                            // can destructure it exhaustively, and callers build it with
                            // `new(required…)`: only a new required member changes that.
                            if !f.optional && new_built.contains(&key) {
                                R::Major
                            } else {
                                R::Minor
                            },
                        ),
                        (Some(x), Some(y)) => {
                            if x.rust_name != y.rust_name {
                                push(
                                    K::FieldRenamed,
                                    format!(
                                        "field `{wire}` is `{}` (was `{}`)",
                                        y.rust_name, x.rust_name
                                    ),
                                    H::None,
                                    R::Major,
                                );
                            }
                            if (&x.ty, x.boxed) != (&y.ty, y.boxed) {
                                push(
                                    K::FieldType,
                                    format!(
                                        "field `{wire}` type `{}` (was `{}`)",
                                        field_type(y),
                                        field_type(x)
                                    ),
                                    if wire_eq(o, &x.ty, n, &y.ty) {
                                        H::None
                                    } else if widens(&y.ty, &x.ty) && !uses.request {
                                        // Responses only: every value received now
                                        // fits what readers expected.
                                        H::NonBreaking
                                    } else {
                                        H::Breaking
                                    },
                                    R::Major,
                                );
                            }
                            if x.optional != y.optional {
                                // Responses: a field that may be missing breaks readers.
                                // Requests: a member that must be sent breaks senders.
                                let breaks = if y.optional {
                                    uses.response || !uses.request
                                } else {
                                    uses.request
                                };
                                push(
                                    K::FieldNullability,
                                    format!(
                                        "field `{wire}` is {} (`{}`)",
                                        if y.optional {
                                            "now optional or nullable"
                                        } else {
                                            "now always present and non-null"
                                        },
                                        field_type(y)
                                    ),
                                    if breaks { H::Breaking } else { H::NonBreaking },
                                    R::Major,
                                );
                            }
                            if x.pii != y.pii {
                                push(
                                    K::FieldPii,
                                    format!(
                                        "field `{wire}` {} in `Debug` output",
                                        if y.pii {
                                            "now redacted"
                                        } else {
                                            "no longer redacted"
                                        }
                                    ),
                                    H::None,
                                    R::Patch,
                                );
                            }
                            if x.doc != y.doc {
                                push(
                                    K::Docs,
                                    format!("description of field `{wire}` changed"),
                                    H::Docs,
                                    R::Patch,
                                );
                            }
                        }
                        (None, None) => {}
                    }
                }
            }
            (ModelKind::Enum { values: va }, ModelKind::Enum { values: vb }) => {
                let va: BTreeMap<&str, &str> = va
                    .iter()
                    .map(|e| (e.wire.as_str(), e.variant.as_str()))
                    .collect();
                let vb: BTreeMap<&str, &str> = vb
                    .iter()
                    .map(|e| (e.wire.as_str(), e.variant.as_str()))
                    .collect();
                for wire in va.keys().chain(vb.keys()).collect::<BTreeSet<_>>() {
                    match (va.get(wire), vb.get(wire)) {
                        (Some(v), None) => push(
                            K::EnumValueRemoved,
                            format!(
                                "value `{wire}` (`{}::{v}`) removed; it now decodes as `Other(\"{wire}\")`",
                                b.name
                            ),
                            // Requests may no longer send it; responses just stop carrying it.
                            if uses.request { H::Breaking } else { H::NonBreaking },
                            R::Major,
                        ),
                        (None, Some(v)) => push(
                            K::EnumValueAdded,
                            format!("value `{wire}` (`{}::{v}`) added", b.name),
                            H::NonBreaking,
                            // `#[non_exhaustive]` with `Other(String)`: matches already
                            // have a wildcard arm.
                            R::Minor,
                        ),
                        (Some(x), Some(y)) if x != y => push(
                            K::EnumVariantRenamed,
                            format!("value `{wire}` is `{}::{y}` (was `{x}`)", b.name),
                            H::None,
                            R::Major,
                        ),
                        _ => {}
                    }
                }
            }
            // Conservatively: any change to a `oneOf`'s alternatives (their order
            // decides decoding) may change what callers match on.
            (ModelKind::OneOf { .. }, ModelKind::OneOf { .. }) => {
                if a.kind != b.kind {
                    push(
                        K::ModelKind,
                        format!("`{}`'s `oneOf` alternatives changed", b.name),
                        H::Breaking,
                        R::Major,
                    );
                }
            }
            _ => push(
                K::ModelKind,
                format!(
                    "`{}` is {} (was {})",
                    b.name,
                    kind_name(&b.kind),
                    kind_name(&a.kind)
                ),
                H::Breaking,
                R::Major,
            ),
        }
    }
}

/// Whether every JSON value of type `a` is also one of type `b` (numbers only).
fn widens(a: &Type, b: &Type) -> bool {
    matches!(
        (a, b),
        (Type::I32, Type::I64) | (Type::I32 | Type::I64, Type::F64)
    )
}

fn kind_name(k: &ModelKind) -> &'static str {
    match k {
        ModelKind::Struct { .. } => "an object",
        ModelKind::Enum { .. } => "a string enum",
        ModelKind::OneOf { .. } => "a `oneOf` enum",
    }
}

fn field_type(f: &crate::ir::Field) -> String {
    let t = show(&f.ty);
    let t = if f.boxed { format!("Box<{t}>") } else { t };
    if f.optional {
        format!("Option<{t}>")
    } else {
        t
    }
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
