//! `cargo xtask update`, end to end, on temporary copies of this repository (the
//! workspace without `target/`, `.git` and `node_modules`), with Twilio's Flex v2
//! spec one release newer than `specs/` (`tests/update/twilio_flex_v2.json`, a
//! verbatim copy of `twilio-oai`'s file) and with an edit of it that changes the API.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn newer_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/update/twilio_flex_v2.json")
}

/// A copy of the repository in a fresh temporary directory.
struct Copy(PathBuf);

impl Copy {
    fn new(name: &str) -> Copy {
        let dir = std::env::temp_dir().join(format!("xtask-update-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_tree(&repo(), &dir);
        Copy(dir)
    }

    /// Every file but `target/`'s, with its bytes.
    fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.0.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p == self.0.join("target") {
                    continue;
                }
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(&self.0).unwrap().to_path_buf();
                    out.insert(rel, std::fs::read(&p).unwrap());
                }
            }
        }
        out
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `cargo xtask update --root COPY ARGS…`, packaging into the copy's `target/`.
    fn update(&self, args: &[&str], target_dir: Option<&Path>) -> Output {
        let target = target_dir.map_or_else(|| self.0.join("target"), Path::to_path_buf);
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("update")
            .arg("--root")
            .arg(&self.0)
            .args(args)
            .env("CARGO_TARGET_DIR", target)
            .output()
            .unwrap();
        eprintln!(
            "--- stdout\n{}--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if ["target", ".git", "node_modules"].contains(&name.to_str().unwrap_or("")) {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        if e.file_type().unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else if e.file_type().unwrap().is_file() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn changed(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| k.display().to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The title and note `cargo xtask update` keeps at the top of `CHANGELOG.md`.
const CHANGELOG_HEAD: &str = "# Changelog\n\nReleases of the generated `twilio-flex` crate, newest first; each entry is written by `cargo xtask update` from the API diff.\n";

fn copy_of_repo_changelog() -> String {
    std::fs::read_to_string(repo().join("CHANGELOG.md")).unwrap()
}

fn version_of(toml: &str) -> &str {
    toml.lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap()
}

/// Twilio's next Flex v2 release only adds a schema no operation uses: the spec is
/// copied byte for byte, the crate does not change, so neither do its version and
/// changelog; the report says what was added. A second run changes nothing.
#[test]
fn the_real_next_flex_release() {
    let copy = Copy::new("real");
    let before = copy.files();
    let spec = newer_spec();
    let out = copy.update(&[spec.to_str().unwrap()], None);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("schema `flex.v2.instance` added"),
        "{stdout}"
    );
    assert!(stdout.contains("version stays 0.1.0"), "{stdout}");
    let after = copy.files();
    assert_eq!(changed(&before, &after), ["specs/twilio_flex_v2.json"]);
    assert_eq!(
        after[Path::new("specs/twilio_flex_v2.json")],
        std::fs::read(&spec).unwrap()
    );
    assert!(copy
        .0
        .join("target/package/twilio-flex-0.1.0.crate")
        .is_file());

    // The same files again, here by name from a checkout: nothing to do.
    let dir = spec.parent().unwrap().to_str().unwrap();
    let out = copy.update(&["--from", dir, "twilio_flex_v2.json"], None);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"));
    assert!(changed(&after, &copy.files()).is_empty());
}

/// The newer spec with a parameter carrying a SID prefix no spec used before: the
/// names lock's SID types gain that one entry (every line of the lock kept as it
/// was) and the crate names the type after it.
#[test]
fn a_new_sid_prefix_is_added_to_the_lock() {
    let copy = Copy::new("sid");
    let mut spec: Value =
        serde_json::from_str(&std::fs::read_to_string(newer_spec()).unwrap()).unwrap();
    spec.pointer_mut(
        "/paths/~1v2~1Instances~1{InstanceSid}~1Users~1{FlexUserSid}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties",
    )
    .and_then(Value::as_object_mut)
    .expect("the spec changed: pick another operation")
    .insert(
        "GadgetSid".into(),
        serde_json::json!({"type": "string", "pattern": "^ZQ[0-9a-fA-F]{32}$", "description": "A gadget."}),
    );
    let drop_dir = copy.0.join("target/drop");
    std::fs::create_dir_all(&drop_dir).unwrap();
    let file = drop_dir.join("twilio_flex_v2.json");
    std::fs::write(&file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();

    let before = copy.read("specs/names.lock");
    let out = copy.update(&[file.to_str().unwrap()], None);
    assert!(out.status.success());
    let after = copy.read("specs/names.lock");
    // The newer release's new operations and models add their method and type
    // names too; the SID types gain exactly the new prefix.
    let sids = |text: &str| -> Vec<(String, Value)> {
        let lock: Value = serde_json::from_str(text).unwrap();
        lock["sids"]
            .as_object()
            .unwrap()
            .clone()
            .into_iter()
            .collect()
    };
    let (old, new) = (sids(&before), sids(&after));
    let added: Vec<&(String, Value)> = new.iter().filter(|e| !old.contains(e)).collect();
    assert_eq!(
        added,
        [&("ZQ".to_string(), Value::String("GadgetSid".into()))]
    );
    assert!(after.contains("\n    \"ZQ\": \"GadgetSid\",\n"));
    let kept = before.lines().filter(|l| after.contains(*l)).count();
    assert_eq!(kept, before.lines().count(), "a locked entry changed");
    // The runtime defines it (from the lock), the crate re-exports it.
    assert!(copy
        .read("codegen/runtime/src/sids.rs")
        .contains("GadgetSid"));
    assert!(copy
        .read("generated-client/src/sids.rs")
        .contains("GadgetSid"));
}

/// The newer spec with one optional parameter added: a minor change, so 0.1.0 ->
/// 0.1.1 in `release.toml`, the generated manifest and the lock file, a changelog
/// entry naming the operation, a packaged `.crate`. A second run changes nothing.
#[test]
fn an_additive_update_is_bumped_changelogged_and_packaged() {
    let copy = Copy::new("bump");
    let mut spec: Value =
        serde_json::from_str(&std::fs::read_to_string(newer_spec()).unwrap()).unwrap();
    spec.pointer_mut(
        "/paths/~1v2~1Instances~1{InstanceSid}~1Users~1{FlexUserSid}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties",
    )
    .and_then(Value::as_object_mut)
    .expect("the spec changed: pick another operation")
    .insert(
        "Username".into(),
        serde_json::json!({"type": "string", "description": "The new username."}),
    );
    let drop_dir = copy.0.join("target/drop");
    std::fs::create_dir_all(&drop_dir).unwrap();
    let file = drop_dir.join("twilio_flex_v2.json");
    std::fs::write(&file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();

    let before = copy.files();
    let out = copy.update(&[file.to_str().unwrap()], None);
    assert!(out.status.success());
    let after = copy.files();
    let changes = changed(&before, &after);
    for f in [
        "CHANGELOG.md",
        "Cargo.lock",
        "generated-client/Cargo.toml",
        "release.toml",
        "specs/twilio_flex_v2.json",
    ] {
        assert!(
            changes.contains(&f.to_string()),
            "{f} not updated: {changes:?}"
        );
    }
    assert!(changes.iter().all(|c| c == "CHANGELOG.md"
        || c == "Cargo.lock"
        || c == "release.toml"
        || c.starts_with("specs/")
        || c.starts_with("generated-client/")));
    assert_eq!(version_of(&copy.read("release.toml")), "0.1.1");
    assert_eq!(
        version_of(&copy.read("generated-client/Cargo.toml")),
        "0.1.1"
    );
    let lock = copy.read("Cargo.lock");
    assert!(lock.contains("name = \"twilio-flex\"\nversion = \"0.1.1\""));
    let changelog = copy.read("CHANGELOG.md");
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    let at = changelog.find("## 0.1.1").expect("an entry for 0.1.1");
    // Newest first: the committed entries follow, unchanged.
    let previous = copy_of_repo_changelog();
    assert!(changelog.ends_with(previous.strip_prefix(CHANGELOG_HEAD).unwrap()));
    let entry = &changelog[at..];
    assert!(entry.contains("Rust crate: minor change"), "{entry}");
    assert!(
        entry.contains("`update` (`UpdateFlexUser`, `POST /v2/Instances/{InstanceSid}/Users/{FlexUserSid}`): optional body parameter `Username`"),
        "{entry}"
    );
    assert!(copy
        .0
        .join("target/package/twilio-flex-0.1.1.crate")
        .is_file());
    assert!(copy
        .read("generated-client/src/flex_v2/flex_user.rs")
        .contains("pub fn username("));

    let out = copy.update(&[file.to_str().unwrap()], None);
    assert!(out.status.success());
    assert!(changed(&after, &copy.files()).is_empty());
}

/// A failing step leaves the tree as it was: here `cargo package` cannot write its
/// output (the target directory is a file), after the specs, the crate, the
/// version and the changelog were written.
#[test]
fn a_failed_update_leaves_the_tree_as_it_was() {
    let copy = Copy::new("fail");
    let mut spec: Value =
        serde_json::from_str(&std::fs::read_to_string(newer_spec()).unwrap()).unwrap();
    // A breaking change: an operation removed (and the files of its resource).
    spec["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/v2/WebChats")
        .expect("the spec changed: pick another path");
    std::fs::create_dir_all(copy.0.join("drop")).unwrap();
    let file = copy.0.join("drop/twilio_flex_v2.json");
    std::fs::write(&file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let not_a_dir = copy.0.join("not-a-directory");
    std::fs::write(&not_a_dir, "").unwrap();

    let before = copy.files();
    let out = copy.update(&[file.to_str().unwrap()], Some(&not_a_dir));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cargo package failed"), "{stderr}");
    assert!(stderr.contains("every file is back as it was"), "{stderr}");
    assert_eq!(changed(&before, &copy.files()), Vec::<String>::new());

    // An invalid spec fails before anything is written.
    std::fs::write(&file, r#"{"openapi": "3.1.0"}"#).unwrap();
    let before = copy.files();
    let out = copy.update(&[file.to_str().unwrap()], None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("expected an OpenAPI 3.0.x"), "{stderr}");
    assert!(stderr.contains("drop/twilio_flex_v2.json"), "{stderr}");
    assert_eq!(changed(&before, &copy.files()), Vec::<String>::new());
}
