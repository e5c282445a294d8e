//! `cargo xtask contract [--report FILE] [DIR] [SPEC_STEM…]`: per-operation
//! contract tests for every spec in `DIR` (default: Twilio's whole catalogue
//! beside the repository). For each spec it generates the crate (as `cargo xtask
//! catalogue` does, into the same directory) with the contract harness that
//! codegen emits from the IR as an example program, builds it, starts Prism on
//! the spec, runs the harness against it and stops Prism. It prints a table per
//! spec (passed/total) and the total, and every failing operation with its
//! reason and classification from `xtask/contract-known-failures.txt` (a spec
//! defect, or an open generator/runtime bug, each saying what is wrong) or
//! unexplained. It fails on an unexplained failure and on a listed one that now
//! passes (so the list stays true). `--report FILE` also writes the table as Markdown.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The known failures: `spec-stem operationId class: reason…`, one a line.
const DEFECTS: &str = "xtask/contract-known-failures.txt";

/// Where `cargo xtask test` writes the report the README links.
pub const REPORT: &str = "codegen/tests/contract-report.md";

struct SpecResult {
    name: String,
    total: usize,
    passed: usize,
    /// (module, operationId, reason) of each failing operation.
    failures: Vec<(String, String, String)>,
    /// Set when the spec could not be run at all (generation, build, Prism).
    error: Option<String>,
    secs: f64,
    /// Arguments the harness sets, how many are the spec's examples, and the
    /// examples it could not use (with why).
    arguments: usize,
    from_examples: usize,
    examples_not_used: Vec<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let mut report = None;
    let mut dir = root.join(crate::bench::CATALOGUE);
    let mut only = vec![];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--report" => {
                report = Some(PathBuf::from(
                    it.next().ok_or("--report needs a file name")?,
                ))
            }
            d if Path::new(d).is_dir() => dir = PathBuf::from(d),
            stem => only.push(stem.to_string()),
        }
    }
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| codegen::load::is_spec_file(p))
        .filter(|p| only.is_empty() || only.iter().any(|o| stem(p) == *o))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no spec to test in {}", dir.display()));
    }
    let defects = read_defects(&root.join(DEFECTS))?;
    crate::test::install_prism(&root)?;
    let started = Instant::now();
    let results = run_all(&root, &specs);
    let (text, problems) = render(&results, &defects);
    println!("{text}");
    println!(
        "contract tests: {} specs in {:.0} s",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(path) = report {
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("contract tests: {}", problems.join("; ")))
    }
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// `spec-stem operationId` → the documented reason.
fn read_defects(path: &Path) -> Result<BTreeMap<(String, String), String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(spec), Some(op), Some(why)) => {
                out.insert((spec.to_string(), op.to_string()), why.trim().to_string());
            }
            _ => {
                return Err(format!(
                    "{}:{}: expected `spec-stem operationId reason`",
                    path.display(),
                    n + 1
                ))
            }
        }
    }
    Ok(out)
}

/// How many Prism instances (with their harness) run at once, while the next
/// specs' harnesses build: Prism's start-up and the calls are mostly waiting.
const RUNNERS: usize = 2;

/// Builds the harness of each spec in turn (cargo builds one at a time anyway)
/// and hands it to a bounded pool of runners, each of which starts Prism on
/// its spec, runs the harness and stops Prism. Results come back in spec order.
fn run_all(root: &Path, specs: &[PathBuf]) -> Vec<SpecResult> {
    use std::sync::{mpsc, Arc, Mutex};
    let (built_tx, built_rx) = mpsc::sync_channel::<(usize, SpecResult, Option<PathBuf>)>(RUNNERS);
    let built_rx = Arc::new(Mutex::new(built_rx));
    let (done_tx, done_rx) = mpsc::channel::<(usize, SpecResult)>();
    std::thread::scope(|s| {
        s.spawn(move || {
            for (i, spec) in specs.iter().enumerate() {
                let start = Instant::now();
                let mut r = SpecResult {
                    name: stem(spec),
                    total: 0,
                    passed: 0,
                    failures: vec![],
                    error: None,
                    secs: 0.0,
                    arguments: 0,
                    from_examples: 0,
                    examples_not_used: vec![],
                };
                let exe = build(root, spec, &mut r)
                    .map_err(|e| r.error = Some(e))
                    .ok();
                r.secs = start.elapsed().as_secs_f64();
                if built_tx.send((i, r, exe)).is_err() {
                    return;
                }
            }
        });
        for _ in 0..RUNNERS {
            let rx = Arc::clone(&built_rx);
            let done = done_tx.clone();
            s.spawn(move || loop {
                let next = rx.lock().map(|rx| rx.recv());
                let Ok(Ok((i, mut r, exe))) = next else {
                    return;
                };
                // A spec with no operation (iam_scim) has nothing to call;
                // Prism would refuse to serve it.
                if let (Some(exe), Some(spec), true) = (exe, specs.get(i), r.total > 0) {
                    let start = Instant::now();
                    if let Err(e) = run_harness(root, spec, &exe, &mut r) {
                        r.error = Some(e);
                    }
                    r.secs += start.elapsed().as_secs_f64();
                }
                println!(
                    "    {}: {}/{} ({:.0} s){}",
                    r.name,
                    r.passed,
                    r.total,
                    r.secs,
                    r.error
                        .as_ref()
                        .map(|e| format!(" ERROR {e}"))
                        .unwrap_or_default()
                );
                if done.send((i, r)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut results: Vec<(usize, SpecResult)> = done_rx.iter().collect();
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    })
}

/// Generates the crate of `spec` with its harness (`examples/contract.rs`) and
/// builds the harness: the path of its executable.
fn build(root: &Path, spec: &Path, r: &mut SpecResult) -> Result<PathBuf, String> {
    let krate = format!("catalogue-{}", r.name.replace('_', "-"));
    let out = root.join("target/xtask/catalogue").join(&krate);
    let info = codegen::CrateInfo {
        name: krate.clone(),
        version: "0.1.0".into(),
        description: format!(
            "Typed async client for Twilio APIs, generated from {}.",
            r.name
        ),
        sources: codegen::source_names(&[spec.to_path_buf()]),
        standalone: true,
        runtime: crate::runtime_for(&out),
        runtime_sids: crate::read_lock(&crate::names_lock())?,
        features: false,
    };
    let api = codegen::api_from_files(&[spec.to_path_buf()]).map_err(|e| e.to_string())?;
    r.total = api
        .versions
        .iter()
        .flat_map(|v| &v.resources)
        .map(|res| res.operations.len())
        .sum();
    let mut files = codegen::emit::emit(&api, &info).map_err(|e| e.to_string())?;
    let harness = codegen::emit::contract::harness(&api, &krate.replace('-', "_"), &info.sources)
        .map_err(|e| e.to_string())?;
    r.arguments = harness.arguments;
    r.from_examples = harness.from_examples;
    r.examples_not_used = harness.examples_not_used;
    files.insert("examples/contract.rs".into(), harness.text);
    codegen::write(&out, &files).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    // Without debug info these crates link faster and take a fraction of the
    // disk; only they are affected, so the shared dependencies are reused.
    let no_debug = format!("profile.dev.package.\"{krate}\".debug=0");
    let build = crate::test::cargo(root)
        .args(["build", "--quiet", "--example", "contract"])
        .args(["--message-format", "json", "--config", &no_debug])
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        // Each crate is built once per generation: incremental state would
        // only cost disk (gigabytes over the catalogue).
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&build.stdout);
    if !build.status.success() {
        // Compiler messages are in the JSON; their rendered text is enough.
        let first: Vec<String> = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["message"]["rendered"].as_str().map(str::to_string))
            .take(3)
            .collect();
        return Err(format!(
            "the harness does not build: {}{}",
            first.join("\n"),
            String::from_utf8_lossy(&build.stderr)
        ));
    }
    // Cargo names every crate's example `examples/contract`: a copy per spec
    // keeps it while the next spec builds (removed after its run).
    let built = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|v| {
            (v["target"]["name"] == "contract")
                .then(|| v["executable"].as_str().map(PathBuf::from))
                .flatten()
        })
        .ok_or_else(|| "cargo built no `contract` executable".to_string())?;
    let dir = root.join("target/xtask/contract-bin");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let exe = dir.join(&r.name);
    std::fs::copy(&built, &exe).map_err(|e| format!("copy {}: {e}", built.display()))?;
    // Cargo's own copies (about 130 MB a spec, with the dependencies' debug
    // info) are not kept: 55 of them would fill the shared disk. A later run
    // links the harness again (the crate's library stays built).
    if let Some(examples) = built.parent() {
        for entry in std::fs::read_dir(examples).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with("contract") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(exe)
}

/// Starts Prism on `spec`, runs the harness `exe` against it and reads its lines.
fn run_harness(root: &Path, spec: &Path, exe: &Path, r: &mut SpecResult) -> Result<(), String> {
    let served = prism_copy(root, spec)?;
    let prism = crate::test::Prism::start(root, &served)?;
    let run = std::process::Command::new(exe)
        .env("CONTRACT_BASE_URL", &prism.url)
        .output()
        .map_err(|e| format!("cannot start the harness: {e}"))?;
    drop(prism);
    let _ = std::fs::remove_file(exe);
    let stdout = String::from_utf8_lossy(&run.stdout);
    let mut seen = 0;
    for line in stdout.lines() {
        let f: Vec<&str> = line.splitn(5, '\t').collect();
        match f.as_slice() {
            ["CONTRACT", _, _, "ok"] => {
                seen += 1;
                r.passed += 1;
            }
            ["CONTRACT", module, op, "FAIL", reason] => {
                seen += 1;
                r.failures
                    .push((module.to_string(), op.to_string(), reason.to_string()));
            }
            _ => {}
        }
    }
    if !run.status.success() || seen != r.total {
        return Err(format!(
            "the harness reported {seen} of {} operations ({}): {}",
            r.total,
            run.status,
            String::from_utf8_lossy(&run.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ));
    }
    Ok(())
}

/// The spec as Prism serves it: the same document, with the `encoding` of each
/// array member of a form body spelled out as OpenAPI's default for it (`style:
/// form, explode: true`: one `Key=value` pair per item, as Twilio's SDKs and this
/// client send), and without `nullable` (a form value is never `null`).
/// Twilio's specs leave the encoding implicit, and Prism then reads every form
/// value as one string and refuses any list. The meaning of the spec for a form
/// is unchanged; Prism still refuses other list forms (`Key=a,b`).
fn prism_copy(root: &Path, spec: &Path) -> Result<PathBuf, String> {
    use serde_json::{json, Value};
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut doc = codegen::load::decode(spec, &text).map_err(|e| e.to_string())?;
    let schemas = doc
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for op in item.values_mut() {
                let Some(form) =
                    op.pointer_mut("/requestBody/content/application~1x-www-form-urlencoded")
                else {
                    continue;
                };
                let mut schema = form.get("schema").cloned().unwrap_or(Value::Null);
                // A body schema by reference: the component it names.
                if let Some(name) = schema["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    schema = schemas[name].clone();
                }
                let Some(props) = schema["properties"].as_object_mut() else {
                    continue;
                };
                let mut encoding = serde_json::Map::new();
                for (name, prop) in props.iter_mut() {
                    if let Some(n) = prop["$ref"]
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    {
                        *prop = schemas[n].clone();
                    }
                    if prop["type"] == "array" {
                        encoding.insert(name.clone(), json!({"style": "form", "explode": true}));
                        // A form value is never `null`; Prism reads a nullable
                        // list's pairs as one string.
                        if let Value::Object(p) = prop {
                            p.remove("nullable");
                        }
                    }
                }
                if !encoding.is_empty() && form.get("encoding").is_none() {
                    form["schema"] = schema;
                    form["encoding"] = Value::Object(encoding);
                }
            }
        }
    }
    let dir = root.join("target/xtask/contract-specs");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = dir.join(format!("{}.json", stem(spec)));
    let text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

/// The Markdown report, and what makes the run fail.
fn render(
    results: &[SpecResult],
    defects: &BTreeMap<(String, String), String>,
) -> (String, Vec<String>) {
    let mut t = String::new();
    let mut problems = vec![];
    let (passed, total): (usize, usize) = results
        .iter()
        .fold((0, 0), |(p, n), r| (p + r.passed, n + r.total));
    let documented: usize = results
        .iter()
        .flat_map(|r| r.failures.iter().map(move |f| (&r.name, f)))
        .filter(|(s, f)| defects.contains_key(&(s.to_string(), f.1.clone())))
        .count();
    let (arguments, from_examples) = results
        .iter()
        .fold((0, 0), |(a, e), r| (a + r.arguments, e + r.from_examples));
    let not_used: usize = results.iter().map(|r| r.examples_not_used.len()).sum();
    let _ = writeln!(
        t,
        "# Contract tests: every operation against Prism\n\n\
         Written by `cargo xtask contract --report {REPORT}` (run by `cargo xtask test`). Each \
         operation is called through the generated crate's public API with arguments from its \
         spec, against Prism serving that spec: once with its required arguments, and once more \
         with every optional parameter set too (when it has any). It passes when Prism accepts \
         both requests and the responses decode into the generated types.\n\n\
         **{passed} of {total} operations pass** in {} specs; {documented} failures are \
         known failures, each a spec defect or an open bug \
         (`{DEFECTS}`).\n\n\
         Of the {arguments} arguments the calls set, **{from_examples} are the spec's own \
         examples**; the others are derived from the declaration (type, format, pattern, \
         length, range, enum). {not_used} examples are not used (listed at the end): not valid \
         for their declaration, or of a type the harness builds no example of.\n",
        results.len()
    );
    let _ = writeln!(
        t,
        "| spec | passed / total | failures | arguments from examples |"
    );
    let _ = writeln!(t, "| --- | --- | --- | --- |");
    for r in results {
        let note = match &r.error {
            Some(e) => format!("not run: {}", e.lines().next().unwrap_or("")),
            None => r.failures.len().to_string(),
        };
        let _ = writeln!(
            t,
            "| {} | {}/{} | {note} | {}/{} |",
            r.name, r.passed, r.total, r.from_examples, r.arguments
        );
        if let Some(e) = &r.error {
            problems.push(format!("{}: {e}", r.name));
        }
    }
    let _ = writeln!(
        t,
        "| **total** | **{passed}/{total}** | | **{from_examples}/{arguments}** |\n"
    );
    let _ = writeln!(t, "## Failing operations\n");
    let mut any = false;
    for r in results {
        for (module, op, reason) in &r.failures {
            any = true;
            let class = match defects.get(&(r.name.clone(), op.clone())) {
                Some(why) => why.clone(),
                None => {
                    problems.push(format!("{} {op}: unexplained failure", r.name));
                    "**unexplained**".to_string()
                }
            };
            let reason = reason.replace('|', "\\|");
            let _ = writeln!(
                t,
                "- `{}` `{module}` `{op}`: {class}. Observed: {reason}",
                r.name
            );
        }
    }
    if !any {
        let _ = writeln!(t, "None.");
    }
    let _ = writeln!(
        t,
        "\n## Examples not used\n\nEach is replaced by a value derived from the declaration.\n"
    );
    for r in results {
        for why in &r.examples_not_used {
            let _ = writeln!(t, "- `{}` {}", r.name, why.replace('|', "\\|"));
        }
    }
    if not_used == 0 {
        let _ = writeln!(t, "None.");
    }
    for (spec, op) in defects.keys() {
        let ran = results.iter().find(|r| &r.name == spec);
        if let Some(r) = ran {
            if r.error.is_none() && !r.failures.iter().any(|f| &f.1 == op) {
                problems.push(format!(
                    "{spec} {op} is listed in {DEFECTS} but passes: remove it"
                ));
            }
        }
    }
    (t, problems)
}
