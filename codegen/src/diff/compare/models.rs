//! Models: structs (fields by wire name), enums (values by wire value), `oneOf`s.

use super::*;
use crate::ir::{EnumValue, Field};

/// Pushes one change of the model being compared.
type Push<'p> = dyn FnMut(K, String, Facts, Extra) + 'p;

pub(super) fn models(out: &mut Out, o: &Side, old: &Api, n: &Side, new: &Api) {
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
        let mut push = |kind, detail: String, facts: Facts, x: Extra| {
            out.push_x(
                (module, group.as_deref()),
                target.clone(),
                kind,
                detail,
                Facts {
                    sent: uses.request,
                    received: uses.response,
                    ..facts
                },
                x,
            )
        };
        let (a, b) = match (a, b) {
            (Some(a), None) => {
                push(
                    K::ModelRemoved,
                    format!("type `{}` removed", a.name),
                    Facts::default(),
                    values(None, Some(a.name.clone()), None),
                );
                continue;
            }
            (None, Some(b)) => {
                push(
                    K::ModelAdded,
                    format!("type `{}` added", b.name),
                    Facts::default(),
                    values(None, None, Some(b.name.clone())),
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
                Facts::default(),
                Extra::default(),
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
                // The same JSON, another Rust shape.
                Facts {
                    same_wire: true,
                    ..Facts::default()
                },
                Extra::default(),
            );
        }
        match (&a.kind, &b.kind) {
            (ModelKind::Struct { fields: fa }, ModelKind::Struct { fields: fb }) => {
                fields(&mut push, o, n, uses.request, fa, fb)
            }
            (ModelKind::Enum { values: va }, ModelKind::Enum { values: vb }) => {
                enum_values(&mut push, &b.name, va, vb)
            }
            // Conservatively: any change to a `oneOf`'s alternatives (their order
            // decides decoding) may change what callers match on.
            (ModelKind::OneOf { .. }, ModelKind::OneOf { .. }) => {
                if a.kind != b.kind {
                    push(
                        K::ModelKind,
                        format!("`{}`'s `oneOf` alternatives changed", b.name),
                        Facts::default(),
                        Extra::default(),
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
                Facts::default(),
                values(
                    None,
                    Some(kind_name(&a.kind).into()),
                    Some(kind_name(&b.kind).into()),
                ),
            ),
        }
    }
}

/// A struct's fields, by wire name. `sent`: a request carries the struct.
fn fields(push: &mut Push, o: &Side, n: &Side, sent: bool, fa: &[Field], fb: &[Field]) {
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
                Facts::default(),
                values(Some(wire), Some(field_type(f)), None),
            ),
            (None, Some(f)) => push(
                K::FieldAdded,
                format!(
                    "field `{wire}` (`{}: {}`) added",
                    f.rust_name,
                    field_type(f)
                ),
                // A request object with a new member that must be sent
                // breaks senders.
                Facts {
                    narrowed: !f.optional,
                    ..Facts::default()
                },
                values(Some(wire), None, Some(field_type(f))),
            ),
            (Some(x), Some(y)) => {
                if x.rust_name != y.rust_name {
                    push(
                        K::FieldRenamed,
                        format!(
                            "field `{wire}` is `{}` (was `{}`)",
                            y.rust_name, x.rust_name
                        ),
                        Facts::default(),
                        values(
                            Some(wire),
                            Some(x.rust_name.clone()),
                            Some(y.rust_name.clone()),
                        ),
                    );
                }
                if (&x.ty, x.boxed) != (&y.ty, y.boxed) {
                    push(
                        K::FieldType,
                        format!(
                            "field `{wire}` type `{}` (was `{}`){}",
                            field_type(y),
                            field_type(x),
                            on_the_wire(o, &x.ty, n, &y.ty)
                        ),
                        Facts {
                            same_wire: wire_eq(o, &x.ty, n, &y.ty),
                            // Responses only: every value received now
                            // fits what readers expected.
                            compatible: widens(&y.ty, &x.ty) && !sent,
                            ..Facts::default()
                        },
                        values(Some(wire), Some(field_type(x)), Some(field_type(y))),
                    );
                }
                if x.format != y.format {
                    // Senders: a value that breaks a format added or changed
                    // may be refused. Readers: a format describes the values
                    // the server sends; the values themselves do not change.
                    push(
                        K::Format,
                        format!(
                            "field `{wire}` {}; {}",
                            format_words(&x.format, &y.format),
                            rust_type_effect(&x.ty, &y.ty)
                        ),
                        Facts {
                            narrowed: y.format.is_some(),
                            ..Facts::default()
                        },
                        values(Some(wire), x.format.clone(), y.format.clone()),
                    );
                }
                if x.optional != y.optional {
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
                        Facts {
                            now_optional: y.optional,
                            ..Facts::default()
                        },
                        values(Some(wire), Some(field_type(x)), Some(field_type(y))),
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
                        Facts::default(),
                        wire_named(wire),
                    );
                }
                if x.doc != y.doc {
                    push(
                        K::Docs,
                        format!("description of field `{wire}` changed"),
                        Facts::default(),
                        wire_named(wire),
                    );
                }
            }
            (None, None) => {}
        }
    }
}

/// A string enum's values, by wire value.
fn enum_values(push: &mut Push, name: &str, va: &[EnumValue], vb: &[EnumValue]) {
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
                    name
                ),
                Facts::default(),
                values(Some(wire), Some(wire.to_string()), None),
            ),
            (None, Some(v)) => push(
                K::EnumValueAdded,
                format!("value `{wire}` (`{}::{v}`) added", name),
                Facts::default(),
                values(Some(wire), None, Some(wire.to_string())),
            ),
            (Some(x), Some(y)) if x != y => push(
                K::EnumVariantRenamed,
                format!("value `{wire}` is `{}::{y}` (was `{x}`)", name),
                Facts::default(),
                values(Some(wire), Some(x.to_string()), Some(y.to_string())),
            ),
            _ => {}
        }
    }
}

pub(super) fn kind_name(k: &ModelKind) -> &'static str {
    match k {
        ModelKind::Struct { .. } => "an object",
        ModelKind::Enum { .. } => "a string enum",
        ModelKind::OneOf { .. } => "a `oneOf` enum",
    }
}

/// As `emit::model` declares a field: a date (also inside a list or map) keeps
/// text that does not parse.
fn stored(t: &crate::ir::Type) -> String {
    use crate::ir::Type;
    match t {
        Type::DateTime | Type::DateTimeRfc2822 | Type::Date => format!("Lenient<{}>", show(t)),
        Type::Array(item) => format!("Vec<{}>", stored(item)),
        Type::Map(item) => format!("BTreeMap<String, {}>", stored(item)),
        _ => show(t),
    }
}

pub(super) fn field_type(f: &crate::ir::Field) -> String {
    let t = stored(&f.ty);
    let t = if f.boxed { format!("Box<{t}>") } else { t };
    if f.optional {
        format!("Option<{t}>")
    } else {
        t
    }
}
