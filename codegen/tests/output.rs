//! Applying generated files to a directory: only `@generated` files are owned.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-output-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(p, t)| (p.to_string(), format!("// @generated test\n{t}\n")))
        .collect()
}

#[test]
fn write_creates_updates_and_deletes_only_generated_files() {
    let dir = scratch("write");
    codegen::write(
        &dir,
        &files(&[("src/lib.rs", "a"), ("src/old/gone.rs", "b")]),
    )
    .unwrap();
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("tests/hand_written.rs"), "// mine\n").unwrap();

    let next = files(&[("src/lib.rs", "a2"), ("src/new.rs", "c")]);
    let changes = codegen::write(&dir, &next).unwrap();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(
        fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
        next["src/lib.rs"]
    );
    assert!(dir.join("src/new.rs").exists());
    assert!(
        !dir.join("src/old/gone.rs").exists(),
        "orphaned generated file is deleted"
    );
    assert!(!dir.join("src/old").exists(), "and its now-empty directory");
    assert_eq!(
        fs::read_to_string(dir.join("tests/hand_written.rs")).unwrap(),
        "// mine\n"
    );

    // A second write of the same files changes nothing.
    assert!(codegen::write(&dir, &next).unwrap().is_empty());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_names_every_stale_file_and_writes_nothing() {
    let dir = scratch("check");
    codegen::write(
        &dir,
        &files(&[("a.rs", "1"), ("b.rs", "2"), ("orphan.rs", "3")]),
    )
    .unwrap();
    let wanted = files(&[("a.rs", "1"), ("b.rs", "changed"), ("c.rs", "new")]);
    let stale = codegen::check(&dir, &wanted).unwrap();
    let shown: Vec<String> = stale.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(shown
        .iter()
        .any(|s| s.starts_with("differs:") && s.ends_with("b.rs")));
    assert!(shown
        .iter()
        .any(|s| s.starts_with("missing:") && s.ends_with("c.rs")));
    assert!(shown
        .iter()
        .any(|s| s.starts_with("no longer generated:") && s.ends_with("orphan.rs")));
    assert!(
        !dir.join("c.rs").exists() && dir.join("orphan.rs").exists(),
        "check wrote or deleted something"
    );
    fs::remove_dir_all(&dir).unwrap();
}
