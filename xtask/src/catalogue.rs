//! `cargo xtask catalogue [DIR]`: every spec in `DIR` (default: Twilio's whole
//! catalogue beside the repository, `../shared/corpus/twilio-oai`) is generated
//! into its own crate and checked with `cargo clippy -D warnings`, sharing the
//! workspace's lock file and target directory. Unlike the test command it goes
//! on after a failure and prints one row per spec, then the totals; it fails if
//! any spec does.

use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let dir = match args {
        [] => root.join(crate::bench::CATALOGUE),
        [d] => PathBuf::from(d),
        _ => return Err("usage: cargo xtask catalogue [DIR]".into()),
    };
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| codegen::load::is_spec_file(p))
        .collect();
    specs.sort();
    let started = Instant::now();
    let mut failed = vec![];
    println!("| spec | operations | generate + clippy | result |");
    println!("| --- | --- | --- | --- |");
    for spec in &specs {
        let start = Instant::now();
        let (ops, result) = match check(&root, spec) {
            Ok(ops) => (ops.to_string(), "ok".to_string()),
            Err((ops, e)) => {
                failed.push(spec.clone());
                (ops.map_or("-".into(), |n| n.to_string()), e)
            }
        };
        let name = spec.file_name().unwrap_or_default().to_string_lossy();
        let took = start.elapsed().as_secs_f64();
        println!("| {name} | {ops} | {took:.1} s | {result} |");
    }
    println!(
        "\n{} of {} specs generate and pass clippy ({:.0} s)",
        specs.len() - failed.len(),
        specs.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} spec(s) failed", failed.len()))
    }
}

/// Generates `spec` into `target/xtask/catalogue/NAME` and runs clippy on it:
/// its operation count, or (the count if it generated) and why it failed.
fn check(root: &Path, spec: &Path) -> Result<usize, (Option<usize>, String)> {
    let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
    let name = format!("catalogue-{}", stem.replace('_', "-"));
    let out = root.join("target/xtask/catalogue").join(&name);
    let info = codegen::CrateInfo {
        name: name.clone(),
        version: "0.1.0".into(),
        description: format!("Typed async client for Twilio APIs, generated from {stem}."),
        sources: codegen::source_names(&[spec.to_path_buf()]),
        standalone: true,
        runtime: crate::runtime_for(&out),
    };
    let api = codegen::api_from_files(&[spec.to_path_buf()]).map_err(|e| (None, e.to_string()))?;
    let ops = api
        .versions
        .iter()
        .flat_map(|v| &v.resources)
        .map(|r| r.operations.len())
        .sum();
    let files = codegen::emit::emit(&api, &info).map_err(|e| (Some(ops), e.to_string()))?;
    codegen::write(&out, &files).map_err(|e| (Some(ops), e.to_string()))?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| (Some(ops), format!("copy Cargo.lock: {e}")))?;
    let output = crate::test::cargo(root)
        .args(["clippy", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| (Some(ops), format!("cannot start cargo: {e}")))?;
    if output.status.success() {
        Ok(ops)
    } else {
        let err = String::from_utf8_lossy(&output.stderr);
        let first = err
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("clippy failed");
        Err((Some(ops), first.to_string()))
    }
}
