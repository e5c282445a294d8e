//! insta snapshots of generated code: the real Flex specs (one snapshot per file)
//! and one small fixture spec per construct (`tests/fixtures/*.json`).
//! CI never writes snapshots (`CI=true`): a missing or changed `.snap` fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn info(sources: Vec<String>) -> codegen::CrateInfo {
    codegen::CrateInfo {
        name: "snapshot-client".into(),
        version: "0.1.0".into(),
        description: "Snapshot test crate.".into(),
        sources,
        standalone: false,
        features: false,
        runtime: codegen::RuntimeSource::path("../codegen/runtime"),
        runtime_sids: codegen::NamesLock::default(),
    }
}

/// The generated Rust that depends on the spec (the runtime is copied verbatim).
fn spec_dependent(files: &BTreeMap<String, String>) -> impl Iterator<Item = (&String, &String)> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("src/") && !path.starts_with("src/runtime/"))
}

fn generate(specs: &[PathBuf]) -> BTreeMap<String, String> {
    codegen::generate(specs, &info(codegen::source_names(specs))).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn flex_specs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    // SID types named from the committed lock, as `cargo xtask generate` does.
    let lock = codegen::NamesLock::read(&dir.join("names.lock")).unwrap();
    // The runtime's SID types are the lock's: the crate re-exports them.
    let info = codegen::CrateInfo {
        runtime_sids: lock.clone(),
        ..info(codegen::source_names(&specs))
    };
    let (files, _) = codegen::generate_with(&specs, &info, &lock).unwrap_or_else(|e| panic!("{e}"));
    for (path, text) in spec_dependent(&files) {
        insta::assert_snapshot!(format!("flex__{}", path.replace('/', "__")), text);
    }
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    assert!(
        fixtures.len() >= 6,
        "fixture specs missing from {}",
        dir.display()
    );
    for spec in fixtures {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let files = generate(std::slice::from_ref(&spec));
        let mut text = String::new();
        for (path, body) in spec_dependent(&files) {
            text.push_str(&format!("==== {path} ====\n{body}\n"));
        }
        insta::assert_snapshot!(format!("fixture__{name}"), text);
    }
}

#[test]
fn generation_is_deterministic() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ref.json");
    let a = generate(std::slice::from_ref(&spec));
    let b = generate(std::slice::from_ref(&spec));
    assert_eq!(a, b);
}

/// The contract harness (`emit::contract`) for the fixtures whose parameters
/// need derived values: SID patterns, formats, ranges, enums, JSON bodies with
/// nested and `oneOf` members. `cargo xtask contract` compiles and runs it.
#[test]
fn contract_harness() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in [
        "catalogue_constructs",
        "formats",
        "request_bodies",
        "sid_pattern",
        "one_of",
    ] {
        let spec = dir.join(format!("{name}.json"));
        let api =
            codegen::api_from_files(std::slice::from_ref(&spec)).unwrap_or_else(|e| panic!("{e}"));
        let text = codegen::emit::contract::contract_rs(
            &api,
            "snapshot_client",
            &codegen::source_names(&[spec]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(format!("contract__{name}"), text);
    }
}

/// The harness takes a parameter's example (the parameter's `example` or
/// `examples`, else its schema's, else its items') where it is valid for the
/// declaration, and says why it does not use the others.
#[test]
fn contract_harness_uses_valid_examples() {
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogue_constructs.json");
    let api =
        codegen::api_from_files(std::slice::from_ref(&spec)).unwrap_or_else(|e| panic!("{e}"));
    let h = codegen::emit::contract::harness(&api, "snapshot_client", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    // `Filter` (a parameter's `examples`) and `DisplayName` (its schema's).
    assert!(h.text.contains(r#".filter("name eq \"x\"")"#), "{}", h.text);
    assert!(h.text.contains(r#".display_name("user-1")"#), "{}", h.text);
    assert_eq!(h.from_examples, 2);
    // `Tag`'s item example breaks its pattern: a derived value instead.
    assert_eq!(
        h.examples_not_used,
        ["ListUser Tag: example `[\"untagged\"]` does not match the pattern `^tag_.+$`"]
    );
    assert!(h.text.contains(r#".tag(vec![String::from("tag_a")])"#));
}
