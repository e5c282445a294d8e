//! What each kind of change means, for HTTP callers and for the Rust crate: one
//! table. The comparison ([`super::compare`]) only finds typed changes and the
//! facts about them ([`Facts`]); every verdict is decided here, from the kind and
//! those facts, and each row is unit-tested below.
//!
//! The Rust column follows what [`crate::emit`] generates: models and enums are
//! `#[non_exhaustive]`, enums keep unknown values as `Other(String)`, required
//! parameters are positional arguments (their types in order are the API, not
//! their names), optional ones are builder setters, and what `send()` does inside
//! (checks, encoding, URLs, status) is not API.

use super::{ChangeKind as K, HttpImpact as H, RustImpact as R};

/// What the comparison found out about one change, beyond its kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Facts {
    /// Callers send the value (a request parameter, or a model a request carries).
    pub sent: bool,
    /// Callers receive it (a model a response carries).
    pub received: bool,
    /// Something that worked on the wire before no longer does: a check tightened,
    /// a prefix or a body dropped, a parameter or credentials now required, a
    /// format added, another host or status.
    pub narrowed: bool,
    /// Both sides send and accept the same JSON (only Rust names differ).
    pub same_wire: bool,
    /// A numeric type changed so that every value that flows still fits (`i32`
    /// sent where `i64` is accepted, `i32` received where `i64` was).
    pub compatible: bool,
    /// A field becomes optional or nullable (else: becomes always present).
    pub now_optional: bool,
    /// The parameter is a positional argument (else a builder setter).
    pub argument: bool,
    /// The arguments' types, in order, are the same on both sides.
    pub same_argument_types: bool,
    /// The parameter is an argument on both sides, or a setter on both.
    pub same_place: bool,
}

/// The verdicts for a change of `kind` with `facts`.
pub(super) fn impact(kind: K, f: &Facts) -> (H, R) {
    let breaking_if = |b: bool| if b { H::Breaking } else { H::NonBreaking };
    let unless_same_wire = |h: H| if f.same_wire { H::None } else { h };
    // Arguments are positional: only their types in order are API.
    let argument_change = if f.same_argument_types {
        R::Patch
    } else {
        R::Major
    };
    match kind {
        // Rust names only: nothing on the wire.
        K::VersionAdded | K::ResourceAdded | K::ModelAdded | K::SidTypeAdded => (H::None, R::Minor),
        K::VersionRemoved
        | K::ResourceRemoved
        | K::ResourceRenamed
        | K::OperationRenamed
        | K::ModelRemoved
        | K::FieldRenamed
        | K::EnumVariantRenamed
        | K::SidTypeRemoved
        | K::SidTypeRenamed => (H::None, R::Major),
        K::FieldPii => (H::None, R::Patch),
        // Same URL either way; in Rust an accessor argument goes or comes (a
        // caller passing it, or calling `for_account(…)`, no longer compiles).
        K::AccountDefault => (H::None, R::Major),
        K::UnusedSchemaAdded | K::UnusedSchemaRemoved => (H::None, R::None),
        K::Docs => (H::Docs, R::Patch),

        K::OperationAdded => (H::NonBreaking, R::Minor),
        K::OperationRemoved => (H::Breaking, R::Major),
        // The crate builds the URL, picks the host and checks the status.
        K::PathChanged => (H::Breaking, R::Patch),
        K::OperationChanged | K::ContentType | K::ParamConstraints | K::SidPrefixes => {
            (breaking_if(f.narrowed), R::Patch)
        }
        K::ResponseType => (unless_same_wire(breaking_if(f.narrowed)), R::Major),
        // `Page` is implemented (or not) by the response type.
        K::PaginationAdded => (H::NonBreaking, R::Minor),
        K::PaginationRemoved => (H::Breaking, R::Major),
        // `Page::next_page()` keeps its signature; `NextPage` is `#[non_exhaustive]`.
        K::PaginationChanged => (H::Breaking, R::Patch),

        K::ParamAdded => (
            breaking_if(f.narrowed),
            if f.argument {
                argument_change
            } else {
                R::Minor
            },
        ),
        K::ParamRemoved => (
            H::Breaking,
            if f.argument {
                argument_change
            } else {
                R::Major
            },
        ),
        // A renamed argument is called the same way; a renamed setter is not.
        K::ParamRenamed => (H::None, if f.argument { R::Patch } else { R::Major }),
        // Argument <-> setter is major; staying where it is, a patch.
        K::ParamRequired => (
            breaking_if(f.narrowed),
            if f.same_place { R::Patch } else { R::Major },
        ),
        K::ParamType | K::FieldType | K::PageItemType => {
            (unless_same_wire(breaking_if(!f.compatible)), R::Major)
        }
        // A format describes values; senders may be refused one added or changed.
        K::Format => (breaking_if(f.sent && f.narrowed), R::Patch),

        // `#[non_exhaustive]` structs: nobody outside the crate builds them.
        // Callers build sent structs with `new(required…)` plus setters: a new
        // optional member is one more setter, a new required one changes `new`.
        K::FieldAdded => (
            breaking_if(f.sent && f.narrowed),
            if f.sent && f.narrowed {
                R::Major
            } else {
                R::Minor
            },
        ),
        K::FieldRemoved => (H::Breaking, R::Major),
        // Readers break on a field that may be missing, senders on one that must
        // be sent (a model neither sends nor receives is taken as received).
        K::FieldNullability => (
            breaking_if(if f.now_optional {
                f.received || !f.sent
            } else {
                f.sent
            }),
            R::Major,
        ),
        K::ModelKind => (unless_same_wire(H::Breaking), R::Major),
        // `#[non_exhaustive]` with `Other(String)`: matches have a wildcard arm.
        K::EnumValueAdded => (H::NonBreaking, R::Minor),
        // Senders may no longer send it; readers just stop receiving it.
        K::EnumValueRemoved => (breaking_if(f.sent), R::Major),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(edit: impl FnOnce(&mut Facts)) -> Facts {
        let mut f = Facts::default();
        edit(&mut f);
        f
    }

    fn row(kind: K, f: Facts) -> (H, R) {
        impact(kind, &f)
    }

    #[test]
    fn rust_names_only() {
        let none = Facts::default();
        for k in [
            K::VersionAdded,
            K::ResourceAdded,
            K::ModelAdded,
            K::SidTypeAdded,
        ] {
            assert_eq!(row(k, none), (H::None, R::Minor), "{k:?}");
        }
        for k in [
            K::VersionRemoved,
            K::ResourceRemoved,
            K::ResourceRenamed,
            K::OperationRenamed,
            K::ModelRemoved,
            K::FieldRenamed,
            K::EnumVariantRenamed,
            K::SidTypeRemoved,
            K::SidTypeRenamed,
            K::AccountDefault,
        ] {
            assert_eq!(row(k, none), (H::None, R::Major), "{k:?}");
        }
        assert_eq!(row(K::FieldPii, none), (H::None, R::Patch));
        assert_eq!(row(K::UnusedSchemaAdded, none), (H::None, R::None));
        assert_eq!(row(K::UnusedSchemaRemoved, none), (H::None, R::None));
        assert_eq!(row(K::Docs, none), (H::Docs, R::Patch));
    }

    #[test]
    fn operations() {
        let none = Facts::default();
        let narrowed = with(|f| f.narrowed = true);
        assert_eq!(row(K::OperationAdded, none), (H::NonBreaking, R::Minor));
        assert_eq!(row(K::OperationRemoved, none), (H::Breaking, R::Major));
        assert_eq!(row(K::PathChanged, none), (H::Breaking, R::Patch));
        for k in [
            K::OperationChanged,
            K::ContentType,
            K::ParamConstraints,
            K::SidPrefixes,
        ] {
            assert_eq!(row(k, narrowed), (H::Breaking, R::Patch), "{k:?}");
            assert_eq!(row(k, none), (H::NonBreaking, R::Patch), "{k:?}");
        }
        assert_eq!(row(K::ResponseType, narrowed), (H::Breaking, R::Major));
        assert_eq!(row(K::ResponseType, none), (H::NonBreaking, R::Major));
        let renamed = with(|f| {
            f.narrowed = true;
            f.same_wire = true
        });
        assert_eq!(row(K::ResponseType, renamed), (H::None, R::Major));
        assert_eq!(row(K::PaginationAdded, none), (H::NonBreaking, R::Minor));
        assert_eq!(row(K::PaginationRemoved, none), (H::Breaking, R::Major));
        assert_eq!(row(K::PaginationChanged, none), (H::Breaking, R::Patch));
    }

    #[test]
    fn parameters() {
        let setter = Facts::default();
        let optional_setter = setter;
        let required_argument = with(|f| {
            f.narrowed = true;
            f.argument = true
        });
        assert_eq!(
            row(K::ParamAdded, optional_setter),
            (H::NonBreaking, R::Minor)
        );
        assert_eq!(
            row(K::ParamAdded, required_argument),
            (H::Breaking, R::Major)
        );
        // An accessor argument added where the argument types stay the same
        // cannot happen, but the rule is: same types, same calls.
        let same_types = with(|f| {
            f.argument = true;
            f.same_argument_types = true
        });
        assert_eq!(row(K::ParamAdded, same_types), (H::NonBreaking, R::Patch));
        assert_eq!(row(K::ParamRemoved, setter), (H::Breaking, R::Major));
        assert_eq!(
            row(K::ParamRemoved, required_argument),
            (H::Breaking, R::Major)
        );
        assert_eq!(row(K::ParamRemoved, same_types), (H::Breaking, R::Patch));
        assert_eq!(row(K::ParamRenamed, setter), (H::None, R::Major));
        assert_eq!(row(K::ParamRenamed, same_types), (H::None, R::Patch));
        let now_required_argument = with(|f| f.narrowed = true);
        assert_eq!(
            row(K::ParamRequired, now_required_argument),
            (H::Breaking, R::Major)
        );
        let now_optional_in_place = with(|f| f.same_place = true);
        assert_eq!(
            row(K::ParamRequired, now_optional_in_place),
            (H::NonBreaking, R::Patch)
        );
    }

    #[test]
    fn types_and_formats() {
        for k in [K::ParamType, K::FieldType, K::PageItemType] {
            assert_eq!(row(k, Facts::default()), (H::Breaking, R::Major), "{k:?}");
            assert_eq!(
                row(k, with(|f| f.compatible = true)),
                (H::NonBreaking, R::Major)
            );
            assert_eq!(row(k, with(|f| f.same_wire = true)), (H::None, R::Major));
        }
        let sent_added = with(|f| {
            f.sent = true;
            f.narrowed = true
        });
        assert_eq!(row(K::Format, sent_added), (H::Breaking, R::Patch));
        assert_eq!(
            row(K::Format, with(|f| f.narrowed = true)),
            (H::NonBreaking, R::Patch)
        );
        assert_eq!(
            row(K::Format, with(|f| f.sent = true)),
            (H::NonBreaking, R::Patch)
        );
    }

    #[test]
    fn models_fields_and_enums() {
        let sent_required = with(|f| {
            f.sent = true;
            f.narrowed = true
        });
        assert_eq!(row(K::FieldAdded, sent_required), (H::Breaking, R::Major));
        let sent_optional = with(|f| f.sent = true);
        assert_eq!(
            row(K::FieldAdded, sent_optional),
            (H::NonBreaking, R::Minor)
        );
        assert_eq!(
            row(K::FieldAdded, with(|f| f.narrowed = true)),
            (H::NonBreaking, R::Minor)
        );
        assert_eq!(
            row(K::FieldRemoved, Facts::default()),
            (H::Breaking, R::Major)
        );
        let received_now_optional = with(|f| {
            f.received = true;
            f.now_optional = true
        });
        assert_eq!(
            row(K::FieldNullability, received_now_optional),
            (H::Breaking, R::Major)
        );
        let sent_now_optional = with(|f| {
            f.sent = true;
            f.now_optional = true
        });
        assert_eq!(
            row(K::FieldNullability, sent_now_optional),
            (H::NonBreaking, R::Major)
        );
        assert_eq!(
            row(K::FieldNullability, with(|f| f.sent = true)),
            (H::Breaking, R::Major)
        );
        assert_eq!(
            row(K::FieldNullability, with(|f| f.received = true)),
            (H::NonBreaking, R::Major)
        );
        assert_eq!(row(K::ModelKind, Facts::default()), (H::Breaking, R::Major));
        assert_eq!(
            row(K::ModelKind, with(|f| f.same_wire = true)),
            (H::None, R::Major)
        );
        assert_eq!(
            row(K::EnumValueAdded, Facts::default()),
            (H::NonBreaking, R::Minor)
        );
        assert_eq!(
            row(K::EnumValueRemoved, with(|f| f.sent = true)),
            (H::Breaking, R::Major)
        );
        assert_eq!(
            row(K::EnumValueRemoved, Facts::default()),
            (H::NonBreaking, R::Major)
        );
    }
}
