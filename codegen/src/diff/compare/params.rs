//! Parameters of an accessor or an operation, and their client-side checks.

use super::*;

/// Where a parameter list belongs.
pub(super) struct ParamCtx<'a> {
    pub(super) version: &'a str,
    pub(super) resource: &'a str,
    pub(super) target: &'a str,
    /// Resource accessors take every parameter as an argument; operations take the
    /// required ones as arguments and the optional ones through setters.
    pub(super) all_positional: bool,
    /// The parameter the old and the new resource fill from the client's
    /// account (`Resource::client_account`): not an accessor argument there.
    pub(super) accounts: [Option<&'a str>; 2],
}

/// Which side a parameter is from, for [`ParamCtx::is_argument`].
const OLD: usize = 0;
const NEW: usize = 1;

impl ParamCtx<'_> {
    fn is_argument(&self, side: usize, p: &Param) -> bool {
        self.accounts[side] != Some(p.wire_name.as_str()) && (self.all_positional || p.required)
    }

    /// `required body parameter `Email` (argument `email`)`.
    fn describe(&self, side: usize, p: &Param) -> String {
        let place = match p.location {
            Location::Path => "path parameter",
            Location::Query => "query parameter",
            Location::Header => "header",
            Location::Body => "body parameter",
        };
        let rust = if self.accounts[side] == Some(p.wire_name.as_str()) {
            "the client's account by default".to_string()
        } else if self.is_argument(side, p) {
            format!("argument `{}`", p.rust_name)
        } else {
            format!("setter `.{}(…)`", p.rust_name)
        };
        let required = if p.required { "required" } else { "optional" };
        format!("{required} {place} `{}` ({rust})", p.wire_name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum ParamKey {
    /// The n-th path parameter: placeholder names are not on the wire.
    Path(usize),
    Named(Location, String),
}

pub(super) fn param_keys(ps: &[Param]) -> BTreeMap<ParamKey, &Param> {
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

pub(super) fn params(
    out: &mut Out,
    ctx: &ParamCtx,
    o: &Side,
    old: &[Param],
    n: &Side,
    new: &[Param],
) {
    // Arguments are positional: the types in order are the API, their names are not.
    let arg_types = |side: usize, ps: &[Param]| -> Vec<Type> {
        ps.iter()
            .filter(|p| ctx.is_argument(side, p))
            .map(|p| p.ty.clone())
            .collect()
    };
    let same_argument_types = arg_types(OLD, old) == arg_types(NEW, new);
    let (ok, nk) = (param_keys(old), param_keys(new));
    let mut push = |kind, detail: String, facts: Facts, x: Extra| {
        out.push_x(
            (ctx.version, Some(ctx.resource)),
            ctx.target.to_string(),
            kind,
            detail,
            Facts {
                sent: true,
                same_argument_types,
                ..facts
            },
            x,
        )
    };
    for key in ok.keys().chain(nk.keys()).collect::<BTreeSet<_>>() {
        match (ok.get(key), nk.get(key)) {
            (Some(a), None) => push(
                K::ParamRemoved,
                format!("{} removed", ctx.describe(OLD, a)),
                Facts {
                    argument: ctx.is_argument(OLD, a),
                    ..Facts::default()
                },
                values(Some(&a.wire_name), Some(show(&a.ty)), None),
            ),
            (None, Some(b)) => push(
                K::ParamAdded,
                format!("{} added", ctx.describe(NEW, b)),
                Facts {
                    argument: ctx.is_argument(NEW, b),
                    narrowed: b.required,
                    ..Facts::default()
                },
                values(Some(&b.wire_name), None, Some(show(&b.ty))),
            ),
            (Some(a), Some(b)) => {
                let w = b.wire_name.as_str();
                let facts = Facts {
                    argument: ctx.is_argument(NEW, b),
                    ..Facts::default()
                };
                // Either side fills it from the client's account: its Rust name
                // is not API there.
                let account = ctx.accounts[OLD] == Some(a.wire_name.as_str())
                    || ctx.accounts[NEW] == Some(b.wire_name.as_str());
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
                    let detail = if b.required {
                        "now required"
                    } else {
                        "now optional"
                    };
                    push(
                        K::ParamRequired,
                        format!("`{}` {detail}: {}", b.wire_name, ctx.describe(NEW, b)),
                        Facts {
                            narrowed: b.required,
                            same_place: ctx.is_argument(OLD, a) == ctx.is_argument(NEW, b),
                            ..facts
                        },
                        values(
                            Some(w),
                            Some(required_word(a.required)),
                            Some(required_word(b.required)),
                        ),
                    );
                } else if a.rust_name != b.rust_name && !account {
                    let sep = if placeholder.is_empty() { "" } else { "; " };
                    push(
                        K::ParamRenamed,
                        format!(
                            "{placeholder}{sep}`{}` is {} (was `{}`)",
                            b.wire_name,
                            if ctx.is_argument(NEW, b) {
                                format!("argument `{}`", b.rust_name)
                            } else {
                                format!("setter `.{}(…)`", b.rust_name)
                            },
                            a.rust_name
                        ),
                        facts,
                        values(
                            Some(w),
                            Some(a.rust_name.clone()),
                            Some(b.rust_name.clone()),
                        ),
                    );
                } else if !placeholder.is_empty() {
                    push(
                        K::ParamRenamed,
                        placeholder,
                        // A placeholder's name is no Rust API, whether or not
                        // the value is an argument (`AccountDefault` says when
                        // it stops or starts being one).
                        Facts {
                            argument: true,
                            ..facts
                        },
                        values(
                            Some(w),
                            Some(a.wire_name.clone()),
                            Some(b.wire_name.clone()),
                        ),
                    );
                }
                if a.ty != b.ty {
                    push(
                        K::ParamType,
                        format!(
                            "`{}` type `{}` (was `{}`){}",
                            b.wire_name,
                            show(&b.ty),
                            show(&a.ty),
                            on_the_wire(o, &a.ty, n, &b.ty)
                        ),
                        Facts {
                            same_wire: wire_eq(o, &a.ty, n, &b.ty),
                            // Every value sent before is still accepted.
                            compatible: widens(&a.ty, &b.ty),
                            ..facts
                        },
                        values(Some(w), Some(show(&a.ty)), Some(show(&b.ty))),
                    );
                }
                if a.format != b.format {
                    push(
                        K::Format,
                        format!(
                            "`{w}` {}; {}",
                            format_words(&a.format, &b.format),
                            rust_type_effect(&a.ty, &b.ty)
                        ),
                        // A format added or changed may refuse what was accepted.
                        Facts {
                            narrowed: b.format.is_some(),
                            ..facts
                        },
                        values(Some(w), a.format.clone(), b.format.clone()),
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
                        Facts {
                            narrowed: c.tighter,
                            ..facts
                        },
                        wire_named(w),
                    );
                }
                if a.doc != b.doc {
                    push(
                        K::Docs,
                        format!("description of `{}` changed", b.wire_name),
                        facts,
                        wire_named(w),
                    );
                }
            }
            (None, None) => {}
        }
    }
}

pub(super) fn required_word(required: bool) -> String {
    if required { "required" } else { "optional" }.into()
}

/// `format `uri` removed`, `format `date-time` added`, `format `uri` (was `url`)`.
pub(super) fn format_words(a: &Option<String>, b: &Option<String>) -> String {
    match (a, b) {
        (Some(x), None) => format!("format `{x}` removed"),
        (None, Some(y)) => format!("format `{y}` added"),
        (Some(x), Some(y)) => format!("format `{y}` (was `{x}`)"),
        (None, None) => "format unchanged".into(),
    }
}

/// What a format change does to the Rust type, said even when it is nothing.
pub(super) fn rust_type_effect(a: &Type, b: &Type) -> String {
    if a == b {
        format!("Rust type unchanged (`{}`)", show(b))
    } else {
        format!("Rust type `{}` (was `{}`)", show(b), show(a))
    }
}

pub(super) struct ConstraintChanges {
    text: Vec<String>,
    /// Some value accepted before is refused now.
    tighter: bool,
}

pub(super) fn constraint_changes(a: &Constraints, b: &Constraints) -> ConstraintChanges {
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
