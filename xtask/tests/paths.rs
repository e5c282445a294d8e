//! Paths on the command line are the caller's: `cargo xtask generate --spec REL
//! --out REL` and `cargo xtask merged-spec REL` read and write relative to the
//! current directory, not the repository root xtask was built in.

use std::path::Path;
use std::process::Command;

#[test]
fn relative_paths_resolve_from_the_current_directory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dir = std::env::temp_dir().join(format!("xtask-paths-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::copy(
        root.join("specs/twilio_flex_v2.json"),
        dir.join("in/flex.json"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let out_name = format!("xtask-paths-out-{}", std::process::id());
    run(&[
        "generate",
        "--spec",
        "in/flex.json",
        "--out",
        &out_name,
        "--crate-name",
        "paths-test",
    ]);
    assert!(dir.join(&out_name).join("Cargo.toml").is_file());
    assert!(
        !root.join(&out_name).exists(),
        "written under the repository root"
    );
    run(&["merged-spec", "merged.json", "--spec", "in/flex.json"]);
    assert!(dir.join("merged.json").is_file());
    assert!(!root.join("merged.json").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
