//! `codegen::diff`: one snapshot per fixture pair (`tests/diff/<case>/{old,new}.json`,
//! each a one-change edit of the same small spec), a JSON snapshot, and a realistic
//! update of the real Flex spec. Whether the Rust classification is honest (the
//! old caller compiles against the new crate exactly when it says minor/patch) is
//! checked by `cargo xtask test`, which compiles `caller.rs` of the pairs that have one.

use codegen::diff::{diff, ChangeKind, HttpImpact, Report, RustImpact};
use codegen::ir::Api;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

fn api(file: &Path) -> Api {
    codegen::api_from_files(&[file.to_path_buf()]).unwrap_or_else(|e| panic!("{e}"))
}

fn case_report(case: &str) -> Report {
    let dir = cases_dir().join(case);
    diff(
        &format!("{case}/old.json"),
        &api(&dir.join("old.json")),
        &format!("{case}/new.json"),
        &api(&dir.join("new.json")),
        Some("0.1.0"),
    )
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

#[test]
fn fixture_pairs() {
    let mut kinds = BTreeSet::new();
    for case in cases() {
        let report = case_report(&case);
        // Only the refactor case is change-free; every other pair changes something.
        assert_eq!(
            report.groups.is_empty(),
            case == "no_change_refactor",
            "{case}"
        );
        kinds.extend(report.changes().map(|c| c.kind));
        insta::assert_snapshot!(format!("diff__{case}"), report.to_markdown());
    }
    // Every kind of change the issue lists has a fixture pair showing it.
    for kind in [
        ChangeKind::OperationAdded,
        ChangeKind::OperationRemoved,
        ChangeKind::OperationChanged,
        ChangeKind::ResourceAdded,
        ChangeKind::AccountDefault,
        ChangeKind::ParamAdded,
        ChangeKind::ParamRemoved,
        ChangeKind::ParamRenamed,
        ChangeKind::ParamRequired,
        ChangeKind::ParamType,
        ChangeKind::ParamConstraints,
        ChangeKind::ContentType,
        ChangeKind::ResponseType,
        ChangeKind::PaginationRemoved,
        ChangeKind::PaginationChanged,
        ChangeKind::ModelAdded,
        ChangeKind::FieldAdded,
        ChangeKind::FieldRemoved,
        ChangeKind::FieldType,
        ChangeKind::FieldNullability,
        ChangeKind::EnumValueAdded,
        ChangeKind::EnumValueRemoved,
        ChangeKind::SidPrefixes,
        ChangeKind::SidTypeRenamed,
        ChangeKind::PathChanged,
        ChangeKind::Format,
        ChangeKind::UnusedSchemaAdded,
        ChangeKind::Docs,
    ] {
        assert!(kinds.contains(&kind), "no fixture pair shows {kind:?}");
    }
}

#[test]
fn json_output() {
    insta::assert_snapshot!(
        "diff_json__pagination_style_changed",
        case_report("pagination_style_changed").to_json()
    );
}

/// A path whose case changed is one change of the same Rust method (the caller
/// in `tests/diff/path_case_changed` proves it still compiles), and every change
/// carries its structured fields.
#[test]
fn path_change_is_one_change_with_structured_fields() {
    let report = case_report("path_case_changed");
    let changes: Vec<_> = report.changes().collect();
    assert_eq!(changes.len(), 2, "{}", report.to_markdown());
    for c in changes {
        assert_eq!(c.kind, ChangeKind::PathChanged);
        assert_eq!((c.http, c.rust), (HttpImpact::Breaking, RustImpact::Patch));
        assert_eq!(c.resource.as_deref(), Some("things"));
        let op = c.operation.as_ref().expect("names its operation");
        assert_eq!(op.path, "/v1/things/{Sid}");
        assert_eq!(c.old.as_deref(), Some("/v1/Things/{Sid}"));
        assert_eq!(c.new.as_deref(), Some("/v1/things/{Sid}"));
        assert!(["FetchThing", "UpdateThing"].contains(&op.operation_id.as_str()));
    }
    insta::assert_snapshot!("diff_json__path_case_changed", report.to_json());
}

/// A type change says what changed on the wire, not only the Rust names.
#[test]
fn type_changes_show_the_wire() {
    let report = case_report("enum_type_changed");
    let field = report
        .changes()
        .find(|c| c.kind == ChangeKind::FieldType)
        .unwrap();
    assert!(
        field
            .detail
            .contains("values added `blue`, removed `green`"),
        "{}",
        field.detail
    );
    assert_eq!(field.wire_name.as_deref(), Some("color"));
    let report = case_report("sid_type_renamed");
    let renames: Vec<_> = report
        .changes()
        .filter(|c| c.kind == ChangeKind::SidTypeRenamed)
        .collect();
    assert_eq!(renames.len(), 1);
    assert!(!report.changes().any(|c| matches!(
        c.kind,
        ChangeKind::SidTypeAdded | ChangeKind::SidTypeRemoved
    )));
    assert!(report
        .changes()
        .filter(|c| c.kind == ChangeKind::ParamType)
        .all(|c| c.detail.contains("the same SID prefix `TH…`") && c.http == HttpImpact::None));
}

/// A new resource is one entry; an unused schema is information, not silence.
#[test]
fn new_resources_are_one_entry_and_unused_schemas_are_listed() {
    let report = case_report("resource_added");
    let changes: Vec<_> = report.changes().collect();
    assert_eq!(changes.len(), 1, "{}", report.to_markdown());
    assert_eq!(changes[0].kind, ChangeKind::ResourceAdded);
    assert!(changes[0]
        .detail
        .contains("`create` (`CreateWidget`, `POST /v1/Widgets`)"));
    assert_eq!(changes[0].http, HttpImpact::NonBreaking);
    assert_eq!(changes[0].rust, RustImpact::Minor);

    let report = case_report("unused_schema_added");
    let changes: Vec<_> = report.changes().collect();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, ChangeKind::UnusedSchemaAdded);
    assert_eq!(changes[0].wire_name.as_deref(), Some("test.v1.instance"));
    assert_eq!(
        (report.http, report.rust),
        (HttpImpact::None, RustImpact::None)
    );
    assert_eq!(report.suggested_version.as_deref(), Some("0.1.0"));
}

/// The same description change in many resources is one entry naming them.
#[test]
fn repeated_description_changes_collapse() {
    // Flex v1: many resources.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/twilio_flex_v1.json");
    let old: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut new = old.clone();
    let paths = new["paths"].as_object_mut().unwrap();
    assert!(
        paths.len() >= 3,
        "the spec changed: pick other descriptions"
    );
    for (path, item) in paths.iter_mut() {
        let d = item["description"].as_str().unwrap_or("").to_string();
        item["description"] = Value::String(format!("{d} Revised docs of `{path}`."));
    }
    let report = diff(
        "old",
        &api_of("old.json", &old),
        "new",
        &api_of("new.json", &new),
        Some("0.1.0"),
    );
    let docs: Vec<_> = report
        .changes()
        .filter(|c| c.detail.starts_with("resource description changed"))
        .collect();
    assert_eq!(docs.len(), 1, "{}", report.to_markdown());
    assert!(docs[0].target.ends_with(" places"), "{}", docs[0].target);
    assert_eq!(
        (report.http, report.rust),
        (HttpImpact::Docs, RustImpact::Patch)
    );
}

#[test]
fn output_is_deterministic() {
    for case in ["pagination_style_changed", "resource_added"] {
        let (a, b) = (case_report(case), case_report(case));
        assert_eq!(a.to_markdown(), b.to_markdown());
        assert_eq!(a.to_json(), b.to_json());
    }
}

fn flex_spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/twilio_flex_v2.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn api_of(name: &str, spec: &Value) -> Api {
    codegen::api_from_texts(&[(PathBuf::from(name), spec.to_string())])
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The real Flex spec against a copy with a realistic update: a response field
/// removed, an optional form parameter and a header added.
#[test]
fn realistic_update_of_the_flex_spec() {
    let old = flex_spec();
    let mut new = old.clone();
    let user = new
        .pointer_mut("/components/schemas/flex.v2.flex_user/properties")
        .and_then(Value::as_object_mut)
        .unwrap();
    assert!(
        user.remove("locale").is_some(),
        "the spec changed: pick another field"
    );
    let update_form = new
        .pointer_mut(
            "/paths/~1v2~1Instances~1{InstanceSid}~1Users~1{FlexUserSid}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties",
        )
        .and_then(Value::as_object_mut)
        .unwrap();
    update_form.insert(
        "Username".into(),
        json!({"type": "string", "description": "The new username of the Flex user."}),
    );
    let create_params = new
        .pointer_mut("/paths/~1v2~1WebChats/post/parameters")
        .and_then(Value::as_array_mut)
        .unwrap();
    create_params.push(json!({
        "name": "I-Twilio-Idempotency-Token",
        "in": "header",
        "schema": {"type": "string"},
        "description": "A key that makes retries of this request safe."
    }));
    let report = diff(
        "main:specs/twilio_flex_v2.json",
        &api_of("main:specs/twilio_flex_v2.json", &old),
        "specs/twilio_flex_v2.json",
        &api_of("specs/twilio_flex_v2.json", &new),
        Some("0.1.0"),
    );
    assert_eq!(report.http, HttpImpact::Breaking);
    assert_eq!(report.rust, RustImpact::Major);
    assert_eq!(report.suggested_version.as_deref(), Some("0.2.0"));
    insta::assert_snapshot!("diff_flex_update", report.to_markdown());
    // The changelog entry: breaking changes first, each naming its operation.
    let entry = report.to_changelog("0.2.0", &["twilio_flex_v2.json".to_string()]);
    let (breaking, added) = (
        entry.find("### Breaking changes").unwrap(),
        entry.find("### Added").unwrap(),
    );
    assert!(breaking < added, "{entry}");
    insta::assert_snapshot!("changelog_flex_update", entry);

    // Without the removed field, the same update is additive.
    let mut additive = new.clone();
    additive
        .pointer_mut("/components/schemas/flex.v2.flex_user/properties")
        .and_then(Value::as_object_mut)
        .unwrap()
        .insert(
            "locale".into(),
            old["components"]["schemas"]["flex.v2.flex_user"]["properties"]["locale"].clone(),
        );
    let report = diff(
        "old",
        &api_of("old.json", &old),
        "new",
        &api_of("new.json", &additive),
        Some("0.1.0"),
    );
    assert_eq!(report.http, HttpImpact::NonBreaking);
    assert_eq!(report.rust, RustImpact::Minor);
    assert_eq!(report.suggested_version.as_deref(), Some("0.1.1"));
}

/// Formatting and key order are not changes: the real spec against itself
/// re-serialised compactly with its keys sorted.
#[test]
fn reformatted_spec_is_no_change() {
    let old = flex_spec();
    let sorted: Value =
        serde_json::from_str(&serde_json::to_string(&sort_keys(&old)).unwrap()).unwrap();
    let report = diff(
        "a",
        &api_of("a.json", &old),
        "b",
        &api_of("b.json", &sorted),
        Some("0.1.0"),
    );
    assert!(report.groups.is_empty(), "{}", report.to_markdown());
    assert_eq!(report.suggested_version.as_deref(), Some("0.1.0"));
}

fn sort_keys(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            keys.reverse();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sort_keys(&o[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}
