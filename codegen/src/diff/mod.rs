//! Diff: what changed between two APIs, for the review of a spec update.
//!
//! Both sides are IRs ([`crate::ir::Api`]) produced by the same load → merge → lower
//! pipeline, so key order, formatting and `$ref` refactors that lower to the same
//! IR are not changes. Each change is classified twice, by the one table in
//! `impact.rs`: for callers of the HTTP API and for users of the generated Rust
//! crate. The Rust classification follows what [`crate::emit`] generates:
//!
//! - models are `#[non_exhaustive]` structs with public fields: a new field is minor,
//!   a removed, renamed or retyped field is major;
//! - string enums are `#[non_exhaustive]` with an `Other(String)` variant: a new
//!   value is minor, a removed or renamed variant is major;
//! - required parameters are positional arguments (resource accessor or operation
//!   method): only their types, in order, are API, so adding, removing or retyping one
//!   is major, while renaming one is a patch;
//! - optional parameters are builder setters: a new one is minor, a removed, renamed
//!   or retyped one is major;
//! - a resource's account that starts or stops defaulting to the client's is major:
//!   the accessor loses or gains that argument (and `for_account(…)` appears or goes);
//! - what the crate does inside `send()` (checks, encoding, URLs, status) is not API:
//!   a change there is a patch, even when it breaks HTTP callers.

mod compare;
mod impact;
mod render;

use crate::ir::Api;
use serde::Serialize;

/// What a change means for code calling the HTTP API directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HttpImpact {
    /// Not visible on the wire (a Rust name, a path placeholder's name).
    None,
    /// A description changed.
    Docs,
    NonBreaking,
    Breaking,
}

/// What a change means for code using the generated Rust crate (semver).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RustImpact {
    None,
    /// Code that compiled still compiles; behaviour or docs differ.
    Patch,
    /// Code that compiled still compiles; there is new API.
    Minor,
    /// Code that compiled against the old crate may not compile.
    Major,
}

/// The kind of a change, for tools reading the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    VersionAdded,
    VersionRemoved,
    /// A new resource, with its new operations and the new types only it uses.
    ResourceAdded,
    ResourceRemoved,
    ResourceRenamed,
    OperationAdded,
    OperationRemoved,
    /// The same HTTP operation is reached through another Rust method or builder.
    OperationRenamed,
    /// Host, authentication or success status.
    OperationChanged,
    /// A resource's account placeholder (`{AccountSid}` after `Accounts`) starts
    /// or stops defaulting to the client's account: the accessor loses or gains
    /// that argument, and `for_account(…)` appears or goes.
    AccountDefault,
    ParamAdded,
    ParamRemoved,
    ParamRenamed,
    ParamRequired,
    ParamType,
    ParamConstraints,
    ContentType,
    ResponseType,
    /// The response becomes a paged list (implements `Page`).
    PaginationAdded,
    PaginationRemoved,
    /// Where the items or the next page are.
    PaginationChanged,
    /// `Page::Item`'s type.
    PageItemType,
    ModelAdded,
    ModelRemoved,
    ModelKind,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldType,
    FieldNullability,
    FieldPii,
    EnumValueAdded,
    EnumValueRemoved,
    EnumVariantRenamed,
    SidTypeAdded,
    SidTypeRemoved,
    /// A SID type with the same prefixes under another name.
    SidTypeRenamed,
    SidPrefixes,
    /// The same operation (resource, method, builder) at another path: the URL
    /// changed (often only its case), the Rust API did not.
    PathChanged,
    /// A parameter's or field's string `format` (`uri`) added, removed or changed.
    Format,
    /// A component schema no operation uses (nothing is generated for it).
    UnusedSchemaAdded,
    UnusedSchemaRemoved,
    Docs,
}

/// The version of the JSON report's shape ([`Report`] and what it contains).
/// Bumped when a field is removed or changes meaning; new fields may appear
/// without a bump, so readers should ignore members they do not know.
pub const SCHEMA_VERSION: u32 = 2;

/// One change. In JSON, every member is present (`null` when it does not apply).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The Rust item it is about: an operation method (`update`), a model
    /// (`models::FlexUser`), an accessor (`flex_user(…)`), a SID type (`sids::FlexUserSid`).
    #[serde(rename = "rust_path")]
    pub target: String,
    pub kind: ChangeKind,
    /// What changed, in words (Markdown code spans for names).
    pub detail: String,
    /// For HTTP callers.
    pub http: HttpImpact,
    /// For the Rust crate's semver.
    pub rust: RustImpact,
    /// The resource (`flex_user`) it belongs to, if one.
    pub resource: Option<String>,
    /// The operation it is about or inside, if one.
    pub operation: Option<OperationRef>,
    /// The parameter, field or enum value as sent on the wire (`FriendlyName`, `wrapup`).
    pub wire_name: Option<String>,
    /// The value before and after, as text (a path, a type, a format, prefixes).
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The names a reviewer searches for: Twilio's changelog says "update Flex User",
/// the spec says `UpdateFlexUser` and `POST /v2/…`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct OperationRef {
    /// The spec's `operationId` (the new side's, when both have one).
    pub operation_id: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// Path template on the new side (the old side's for a removed operation).
    pub path: String,
}

/// The changes about one resource (or one version, or the whole crate).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Group {
    /// Version module (`flex_v2`); empty for crate-wide changes (SID types).
    pub version: String,
    /// Resource name; `None` for changes to the version itself or to models that
    /// several resources share.
    pub resource: Option<String>,
    pub changes: Vec<Change>,
}

/// The whole comparison (`--format json` prints it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// How the two sides were named (`main:specs`, `specs`).
    pub old: String,
    pub new: String,
    /// The most severe impact of any change (`None` when nothing changed).
    pub http: HttpImpact,
    pub rust: RustImpact,
    /// The crate's current version and the version the changes call for.
    pub crate_version: Option<String>,
    pub suggested_version: Option<String>,
    /// Sorted by version, then resource (version-wide groups first).
    pub groups: Vec<Group>,
}

impl Report {
    /// Every change, in report order.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.groups.iter().flat_map(|g| &g.changes)
    }

    /// The report as Markdown, for a pull-request comment.
    pub fn to_markdown(&self) -> String {
        render::markdown(self)
    }

    /// A `CHANGELOG.md` entry for the release `version` made of these changes, from
    /// the spec files `sources`: prose, operation names, breaking changes first.
    pub fn to_changelog(&self, version: &str, sources: &[String]) -> String {
        render::changelog(self, version, sources)
    }

    /// The report as pretty-printed JSON, for tools.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

/// Compares `old` with `new`. `crate_version` is the generated crate's current
/// version, from which the next one is suggested.
pub fn diff(
    old_name: &str,
    old: &Api,
    new_name: &str,
    new: &Api,
    crate_version: Option<&str>,
) -> Report {
    let groups = compare::compare(old, new);
    let changes = || groups.iter().flat_map(|g| &g.changes);
    let http = changes().map(|c| c.http).max().unwrap_or(HttpImpact::None);
    let rust = changes().map(|c| c.rust).max().unwrap_or(RustImpact::None);
    Report {
        schema_version: SCHEMA_VERSION,
        old: old_name.to_string(),
        new: new_name.to_string(),
        http,
        rust,
        crate_version: crate_version.map(String::from),
        suggested_version: crate_version.and_then(|v| next_version(v, rust)),
        groups,
    }
}

/// The version after `current` for changes of impact `rust`, by Cargo's rules:
/// below 1.0 the left-most non-zero component is the "major" one, so in 0.x a
/// breaking change bumps the minor number and anything else the patch number.
/// `None` when `current` is not `MAJOR.MINOR.PATCH`.
pub fn next_version(current: &str, rust: RustImpact) -> Option<String> {
    let parts: Vec<u64> = current
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [x, y, z] = parts[..] else { return None };
    let (x, y, z) = match (rust, x, y) {
        (RustImpact::None, ..) => (x, y, z),
        // 0.0.z: every release is incompatible with the last.
        (_, 0, 0) => (0, 0, z + 1),
        (RustImpact::Major, 0, _) => (0, y + 1, 0),
        (RustImpact::Major, _, _) => (x + 1, 0, 0),
        (RustImpact::Minor | RustImpact::Patch, 0, _) => (0, y, z + 1),
        (RustImpact::Minor, _, _) => (x, y + 1, 0),
        (RustImpact::Patch, _, _) => (x, y, z + 1),
    };
    Some(format!("{x}.{y}.{z}"))
}

#[cfg(test)]
mod tests {
    use super::{next_version, RustImpact::*};

    #[test]
    fn versions_follow_cargo_rules() {
        assert_eq!(next_version("0.1.0", Major).as_deref(), Some("0.2.0"));
        assert_eq!(next_version("0.1.3", Minor).as_deref(), Some("0.1.4"));
        assert_eq!(next_version("0.1.3", Patch).as_deref(), Some("0.1.4"));
        assert_eq!(next_version("0.1.3", None).as_deref(), Some("0.1.3"));
        assert_eq!(next_version("0.0.3", Minor).as_deref(), Some("0.0.4"));
        assert_eq!(next_version("1.2.3", Major).as_deref(), Some("2.0.0"));
        assert_eq!(next_version("1.2.3", Minor).as_deref(), Some("1.3.0"));
        assert_eq!(next_version("1.2.3", Patch).as_deref(), Some("1.2.4"));
        assert_eq!(next_version("1.2", Patch), Option::None);
        assert_eq!(next_version("1.2.3-beta", Patch), Option::None);
    }
}
