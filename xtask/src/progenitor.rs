//! The comparison with progenitor in `cargo xtask bench`: progenitor's client for
//! the Flex specs, built like the Flex crate (dev profile, `CARGO_INCREMENTAL=0`,
//! dependencies built, after touching its `src/lib.rs`). Progenitor is fetched
//! and built under `target/bench/progenitor/`, never part of the workspace or its
//! `Cargo.lock`; when it cannot be fetched or built the step is skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A tiny generator program around the `progenitor` library: `SPEC OUT.rs [builder]`.
const GEN_MANIFEST: &str = r#"[package]
name = "progenitor-gen"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
progenitor = "0.11"
openapiv3 = "2"
serde_json = "1"
prettyplease = "0.2"
syn = { version = "2", features = ["full"] }

[workspace]
"#;

const GEN_MAIN: &str = r#"fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("read spec");
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text).expect("parse spec");
    let mut settings = progenitor::GenerationSettings::default();
    if args.get(3).map(String::as_str) == Some("builder") {
        settings.with_interface(progenitor::InterfaceStyle::Builder);
    }
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator.generate_tokens(&spec).expect("generate");
    let file = syn::parse2(tokens).expect("parse tokens");
    std::fs::write(&args[2], prettyplease::unparse(&file)).expect("write");
}
"#;

/// The generated client's crate: what progenitor's README asks for, reqwest
/// with the TLS and HTTP/2 features `twilio-runtime` uses.
fn client_manifest(name: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
bytes = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
futures-core = "0.3"
progenitor-client = "0.11"
regress = "0.10"
reqwest = {{ version = "0.12", default-features = false, features = ["json", "stream", "rustls-tls", "http2"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
serde_urlencoded = "0.7"

[workspace]
"#
    )
}

/// One OpenAPI document of `specs` (same server): progenitor reads one. Their
/// paths and components are joined; a name two of them define differently is
/// an error.
fn join_specs(specs: &[PathBuf]) -> Result<serde_json::Value, String> {
    let mut out: Option<serde_json::Value> = None;
    for s in specs {
        let text = std::fs::read_to_string(s).map_err(|e| format!("{}: {e}", s.display()))?;
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", s.display()))?;
        let Some(acc) = out.as_mut() else {
            out = Some(doc);
            continue;
        };
        if acc["servers"] != doc["servers"] {
            return Err(format!(
                "{}: another server than the first spec's",
                s.display()
            ));
        }
        let mut sections = vec![("paths".to_string(), doc["paths"].clone())];
        if let Some(components) = doc["components"].as_object() {
            for (k, v) in components {
                sections.push((format!("components/{k}"), v.clone()));
            }
        }
        for (section, entries) in sections {
            let pointer = format!("/{section}");
            if acc.pointer(&pointer).is_none() {
                let (parent, key) = section.split_once('/').unwrap_or(("", &section));
                let parent = if parent.is_empty() {
                    &mut *acc
                } else {
                    &mut acc[parent]
                };
                parent[key] = serde_json::json!({});
            }
            let target = acc
                .pointer_mut(&pointer)
                .and_then(|v| v.as_object_mut())
                .ok_or_else(|| format!("{pointer} is not an object"))?;
            for (k, v) in entries.as_object().into_iter().flatten() {
                match target.get(k) {
                    Some(old) if old != v => {
                        return Err(format!("{}: {pointer}/{k} differs", s.display()))
                    }
                    _ => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
    }
    out.ok_or_else(|| "no spec".to_string())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds progenitor's client of `specs` (both interface styles) and prints its
/// build time beside the Flex crate's (`flex`: label and time, as measured in
/// this run). Skipped, with the reason, when progenitor cannot be fetched or
/// cannot generate the specs.
pub fn compare(
    root: &Path,
    work: &Path,
    specs: &[PathBuf],
    flex: &[(&str, Duration)],
    runs: usize,
) -> Result<(), String> {
    let dir = work.join("progenitor");
    let target = dir.join("target");
    write(&dir.join("gen/Cargo.toml"), GEN_MANIFEST)?;
    write(&dir.join("gen/src/main.rs"), GEN_MAIN)?;
    let built = crate::test::cargo(root)
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(dir.join("gen/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| e.to_string())?;
    if !built.success() {
        println!("\nprogenitor could not be fetched or built ({built}): comparison skipped");
        return Ok(());
    }
    let spec = dir.join("spec.json");
    let joined = match join_specs(specs) {
        Ok(doc) => doc,
        Err(e) => {
            println!("\nthe Flex specs do not join into one document ({e}): comparison skipped");
            return Ok(());
        }
    };
    write(&spec, &joined.to_string())?;
    let mut rows: Vec<(String, Duration)> = vec![];
    for style in ["positional", "builder"] {
        let krate = dir.join(format!("flex-{style}"));
        write(
            &krate.join("Cargo.toml"),
            &client_manifest(&format!("flex-progenitor-{style}")),
        )?;
        std::fs::create_dir_all(krate.join("src")).map_err(|e| e.to_string())?;
        let status = Command::new(target.join("release/progenitor-gen"))
            .arg(&spec)
            .arg(krate.join("src/lib.rs"))
            .arg(style)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            println!(
                "\nprogenitor could not generate the Flex specs ({status}): comparison skipped"
            );
            return Ok(());
        }
        let build = || {
            let mut c = crate::test::cargo(root);
            c.args(["build", "--quiet", "--manifest-path"])
                .arg(krate.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_INCREMENTAL", "0")
                .stderr(Stdio::null());
            c
        };
        crate::test::step(
            &format!("cargo build (warm-up): progenitor's Flex client, {style}"),
            &mut build(),
        )?;
        let mut times = vec![];
        for _ in 0..runs {
            crate::bench::touch(&krate.join("src/lib.rs"))?;
            let start = Instant::now();
            let status = build().status().map_err(|e| e.to_string())?;
            times.push(start.elapsed());
            if !status.success() {
                return Err(format!(
                    "build of progenitor's Flex client failed ({status})"
                ));
            }
        }
        times.sort();
        let lines = std::fs::read_to_string(krate.join("src/lib.rs"))
            .map_err(|e| e.to_string())?
            .lines()
            .count();
        rows.push((
            format!("progenitor 0.11, {style} interface ({lines} lines)"),
            times[times.len() / 2],
        ));
    }
    println!();
    println!("| Flex build, dependencies built (dev, CARGO_INCREMENTAL=0, median of {runs}) | time | twilio-flex (runtime built) / it | twilio-flex (runtime rebuilt) / it |");
    println!("| --- | --- | --- | --- |");
    let ours = |label: &str| flex.iter().find(|(l, _)| *l == label).map(|(_, t)| *t);
    let built = ours(crate::bench::FLEX_RUNTIME_BUILT).ok_or("no Flex build time")?;
    let rebuilt = ours(crate::bench::FLEX_RUNTIME_REBUILT).ok_or("no Flex build time")?;
    for (label, t) in &rows {
        println!(
            "| {label} | {} | {:.2}x | {:.2}x |",
            crate::bench::secs(*t),
            built.as_secs_f64() / t.as_secs_f64(),
            rebuilt.as_secs_f64() / t.as_secs_f64()
        );
    }
    Ok(())
}
