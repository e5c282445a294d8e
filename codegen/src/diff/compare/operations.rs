//! Operations: paired by version, method and path (or, when the path moved, by
//! their Rust method), then compared field by field.

use super::*;

/// (version, method, path with placeholder names erased).
pub(super) type OpKey = (String, Method, String);

pub(super) fn op_index(api: &Api) -> BTreeMap<OpKey, (&Version, &Resource, &Operation)> {
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
pub(super) fn erase_placeholders(path: &str) -> String {
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

pub(super) fn operations(out: &mut Out, o: &Side, old: &Api, n: &Side, new: &Api) {
    let (oi, ni) = (op_index(old), op_index(new));
    let removed: Vec<&OpKey> = oi.keys().filter(|k| !ni.contains_key(*k)).collect();
    let added: Vec<&OpKey> = ni.keys().filter(|k| !oi.contains_key(*k)).collect();
    // An operation whose path changed (`/v1/instances` -> `/v1/Instances`) but whose
    // Rust API did not: the same resource, method name, builder and HTTP method on
    // both sides, and only one such candidate on each.
    let rust_id = |(_, r, op): &(&Version, &Resource, &Operation)| {
        (
            r.name.clone(),
            op.fn_name.clone(),
            op.builder.clone(),
            op.method,
        )
    };
    let mut moved: BTreeMap<&OpKey, &OpKey> = BTreeMap::new();
    for a in &removed {
        let id = rust_id(&oi[*a]);
        let same = |side: &[&OpKey], index: &BTreeMap<OpKey, _>, key: &OpKey| {
            side.iter()
                .filter(|k| k.0 == key.0 && rust_id(&index[**k]) == id)
                .count()
        };
        let candidates: Vec<&&OpKey> = added
            .iter()
            .filter(|b| b.0 == a.0 && rust_id(&ni[**b]) == id)
            .collect();
        if let [b] = candidates[..] {
            if same(&removed, &oi, a) == 1 && same(&added, &ni, b) == 1 {
                moved.insert(*a, *b);
            }
        }
    }
    let moved_to: BTreeSet<&OpKey> = moved.values().copied().collect();
    for key in oi.keys().chain(ni.keys()).collect::<BTreeSet<_>>() {
        let module = key.0.as_str();
        match (oi.get(key), ni.get(key)) {
            (Some(a @ (_, r, op)), None) => {
                out.op = Some(op_ref(op));
                if let Some(to) = moved.get(key) {
                    let b @ (_, _, bop) = ni[*to];
                    out.op = Some(op_ref(bop));
                    out.push_x(
                        (module, Some(&r.name)),
                        op.fn_name.clone(),
                        K::PathChanged,
                        format!(
                            "path is now `{}` (was `{}`); the Rust API is unchanged",
                            bop.path, op.path
                        ),
                        // Callers of the old URL get a 404; the crate builds the URL.
                        Facts::default(),
                        values(None, Some(op.path.clone()), Some(bop.path.clone())),
                    );
                    operation(out, module, o, *a, n, b);
                } else {
                    out.push(
                        (module, Some(&r.name)),
                        op.fn_name.clone(),
                        K::OperationRemoved,
                        "operation removed".into(),
                        Facts::default(),
                    );
                }
            }
            (None, Some((_, r, op))) if !moved_to.contains(key) => {
                out.op = Some(op_ref(op));
                out.push(
                    (module, Some(&r.name)),
                    op.fn_name.clone(),
                    K::OperationAdded,
                    format!(
                        "operation added: `{}.{}(…)`",
                        accessor_call(module, r),
                        op.fn_name
                    ),
                    Facts::default(),
                );
            }
            (Some(a), Some(b)) => {
                out.op = Some(op_ref(b.2));
                operation(out, module, o, *a, n, *b);
            }
            _ => {}
        }
        out.op = None;
    }
}

pub(super) fn operation(
    out: &mut Out,
    module: &str,
    o: &Side,
    (_, or, a): (&Version, &Resource, &Operation),
    n: &Side,
    (_, nr, b): (&Version, &Resource, &Operation),
) {
    let group = Some(nr.name.as_str());
    let target = b.fn_name.clone();
    let push = |out: &mut Out, kind, detail: String, facts| {
        out.push((module, group), target.clone(), kind, detail, facts)
    };
    // Another host, another success status: callers of the old one break.
    let narrowed = Facts {
        narrowed: true,
        ..Facts::default()
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
            Facts::default(),
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
            Facts::default(),
        );
    }
    if a.doc != b.doc {
        push(
            out,
            K::Docs,
            "operation description changed".into(),
            Facts::default(),
        );
    }
    if a.base_url != b.base_url {
        push(
            out,
            K::OperationChanged,
            format!("served from `{}` (was `{}`)", b.base_url, a.base_url),
            narrowed,
        );
    }
    if a.auth != b.auth {
        let detail = if b.auth {
            "now requires account credentials"
        } else {
            "no longer requires account credentials"
        };
        let facts = Facts {
            narrowed: b.auth,
            ..Facts::default()
        };
        push(out, K::OperationChanged, detail.into(), facts);
    }
    if a.oauth2 != b.oauth2 {
        let detail = match &b.oauth2 {
            Some(t) => format!(
                "accepts an OAuth 2 access token from `{}{}`",
                t.base_url, t.path
            ),
            None => "no longer accepts an OAuth 2 access token".into(),
        };
        // A token from another endpoint, or none accepted where one was, fails
        // where the call used to succeed.
        let facts = Facts {
            narrowed: a.oauth2.is_some(),
            ..Facts::default()
        };
        push(out, K::OperationChanged, detail, facts);
    }
    let body_change = match (a.body, b.body) {
        (None, Some(e)) => Some((format!("request body added, as {}", content_type(e)), false)),
        (Some(e), None) => Some((format!("request body ({}) removed", content_type(e)), true)),
        (Some(x), Some(y)) if x != y => Some((
            format!(
                "request body is {} (was {})",
                content_type(y),
                content_type(x)
            ),
            true,
        )),
        _ => None,
    };
    if let Some((detail, narrowed)) = body_change {
        // The crate encodes the body itself: callers' code is unaffected.
        let facts = Facts {
            narrowed,
            ..Facts::default()
        };
        push(out, K::ContentType, detail, facts);
    }
    if a.response.status != b.response.status {
        push(
            out,
            K::OperationChanged,
            format!(
                "success status {} (was {})",
                b.response.status, a.response.status
            ),
            narrowed,
        );
    }
    if a.response.body != b.response.body {
        let show_body = |t: &Option<Type>| t.as_ref().map(show).unwrap_or_else(|| "()".into());
        // A body where there was none breaks nobody; any other change may.
        let facts = Facts {
            same_wire: matches!((&a.response.body, &b.response.body),
                (Some(x), Some(y)) if wire_eq(o, x, n, y)),
            narrowed: a.response.body.is_some(),
            ..Facts::default()
        };
        push(
            out,
            K::ResponseType,
            format!(
                "`send()` returns `{}` (was `{}`)",
                show_body(&b.response.body),
                show_body(&a.response.body)
            ),
            facts,
        );
    }
    pagination(
        &mut |kind, detail, facts| push(out, kind, detail, facts),
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
        accounts: [None, None],
    };
    params(out, &ctx, o, &a.params, n, &b.params);
}

/// A list response's paging: the model implements the runtime's `Page` trait
/// (`type Item`, `next_page()`, `into_items()`) when the IR has a `Pagination`.
pub(super) fn pagination(
    push: &mut dyn FnMut(K, String, Facts),
    o: &Side,
    a: &Operation,
    n: &Side,
    b: &Operation,
) {
    let body = |op: &Operation| op.response.body.as_ref().map(show).unwrap_or_default();
    match (&a.response.pagination, &b.response.pagination) {
        (None, Some(p)) => push(
            K::PaginationAdded,
            format!(
                "now a paged list: items in `{}`, next page by {}; `{}` implements `Page`",
                p.items_field,
                page_style(&p.style),
                body(b)
            ),
            Facts::default(),
        ),
        (Some(p), None) => push(
            K::PaginationRemoved,
            format!(
                "no longer a paged list (was: items in `{}`, next page by {}); `{}` does not implement `Page`",
                p.items_field,
                page_style(&p.style),
                body(b)
            ),
            Facts::default(),
        ),
        (Some(x), Some(y)) => {
            if x.items_field != y.items_field {
                push(
                    K::PaginationChanged,
                    format!(
                        "page items in `{}` (was `{}`)",
                        y.items_field, x.items_field
                    ),
                    Facts::default(),
                );
            }
            if x.style != y.style {
                push(
                    K::PaginationChanged,
                    format!(
                        "next page by {} (was {})",
                        page_style(&y.style),
                        page_style(&x.style)
                    ),
                    Facts::default(),
                );
            }
            if x.item != y.item {
                push(
                    K::PageItemType,
                    format!(
                        "`Page::Item` is `{}` (was `{}`)",
                        show(&y.item),
                        show(&x.item)
                    ),
                    Facts {
                        same_wire: wire_eq(o, &x.item, n, &y.item),
                        ..Facts::default()
                    },
                );
            }
        }
        (None, None) => {}
    }
}

pub(super) fn page_style(s: &PageStyle) -> String {
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

pub(super) fn content_type(e: BodyEncoding) -> &'static str {
    match e {
        BodyEncoding::Form => "`application/x-www-form-urlencoded`",
        BodyEncoding::Json | BodyEncoding::JsonDocument => "`application/json`",
    }
}
