//! Robustness: every single-node mutation of real and fixture specs (delete the
//! node, replace it with a value of each other JSON type, duplicate it into an
//! array) goes through the whole pipeline. The generator must never panic, and
//! every error must name the spec file and a JSON pointer inside it.

use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn info() -> codegen::CrateInfo {
    codegen::CrateInfo {
        name: "m".into(),
        version: "0.1.0".into(),
        description: "m".into(),
        sources: vec![],
        standalone: false,
        features: false,
        runtime: codegen::RuntimeSource::path("../codegen/runtime"),
        runtime_sids: codegen::NamesLock::default(),
    }
}

/// Every JSON pointer in `v`, parents before children.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    let esc = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, c)| pointers(c, format!("{at}/{}", esc(k)), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// The spec with the node at `pointer` changed by `mutation`.
fn mutate(spec: &Value, pointer: &str, mutation: usize) -> Option<Value> {
    let mut v = spec.clone();
    if mutation == 0 {
        // Delete the node from its parent.
        let (parent, key) = pointer.rsplit_once('/')?;
        let key = key.replace("~1", "/").replace("~0", "~");
        match v.pointer_mut(parent)? {
            Value::Object(m) => {
                m.shift_remove(&key)?;
            }
            Value::Array(a) => {
                let i: usize = key.parse().ok()?;
                a.remove(i);
            }
            _ => return None,
        }
        return Some(v);
    }
    let node = v.pointer_mut(pointer)?;
    *node = match mutation {
        1 => Value::Null,
        2 => json!(7),
        3 => json!("x"),
        4 => json!(true),
        5 => json!([]),
        6 => json!({}),
        7 => json!([node.clone(), node.clone()]),
        _ => return None,
    };
    Some(v)
}

fn run(file: &Path, doc: Value) -> Result<(), codegen::Error> {
    let spec = codegen::load::parse_value(file, doc)?;
    let merged = codegen::merge::merge(vec![spec])?;
    let api = codegen::lower::lower(&merged)?;
    codegen::emit::emit(&api, &info())?;
    // The contract harness is emitted from the same IR: it must build for any spec.
    codegen::emit::contract::contract_rs(&api, "m", &[])?;
    Ok(())
}

fn exercise(path: &Path) -> usize {
    // A YAML fixture is mutated as the JSON value it reads as.
    let spec = codegen::load::decode(path, &std::fs::read_to_string(path).unwrap()).unwrap();
    exercise_doc(path, &spec, 1)
}

/// Every mutation of every `stride`-th node of `spec` (all nodes for 1).
fn exercise_doc(path: &Path, spec: &Value, stride: usize) -> usize {
    let file = PathBuf::from("spec.json");
    let mut all = vec![];
    pointers(spec, String::new(), &mut all);
    let mut cases = 0;
    let mut failures = vec![];
    for pointer in all.iter().skip(1).step_by(stride) {
        for mutation in 0..8 {
            let Some(doc) = mutate(spec, pointer, mutation) else {
                continue;
            };
            cases += 1;
            match catch_unwind(AssertUnwindSafe(|| run(&file, doc))) {
                Err(_) => failures.push(format!("PANIC: mutation {mutation} at {pointer}")),
                Ok(Err(e)) if e.file != file || e.pointer.is_empty() => failures.push(format!(
                    "error without file/pointer: mutation {mutation} at {pointer}: {e}"
                )),
                Ok(_) => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed in {}:\n{}",
        failures.len(),
        path.display(),
        failures.join("\n")
    );
    cases
}

#[test]
fn no_mutation_of_the_flex_spec_panics_or_loses_its_location() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = exercise(&root.join("../specs/twilio_flex_v2.json"));
    println!("{cases} mutated flex specs, none panicked");
    assert!(
        cases > 1000,
        "expected a meaningful number of cases, ran {cases}"
    );
}

#[test]
fn no_mutation_of_a_fixture_spec_panics_or_loses_its_location() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    let cases: usize = fixtures.iter().map(|f| exercise(f)).sum();
    println!("{cases} mutated fixture specs, none panicked");
    assert!(
        cases > 1000,
        "expected a meaningful number of cases, ran {cases}"
    );
}

/// The part of `spec` one path needs: the document with only the path `path`,
/// and only the components its `$ref`s reach (transitively). Small enough to
/// mutate node by node, and still a real Twilio path with everything it uses.
fn slice(spec: &Value, path: &str) -> Value {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|c| refs(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    let mut doc = spec.clone();
    let item = spec["paths"][path].clone();
    doc["paths"] = json!({ path: item.clone() });
    let mut components = json!({});
    if let Some(s) = spec["components"].get("securitySchemes") {
        components["securitySchemes"] = s.clone();
    }
    let mut todo = vec![];
    refs(&item, &mut todo);
    while let Some(r) = todo.pop() {
        let Some(rest) = r.strip_prefix("#/components/") else {
            continue;
        };
        let Some((section, name)) = rest.split_once('/') else {
            continue;
        };
        if components.get(section).and_then(|s| s.get(name)).is_some() {
            continue;
        }
        let Some(target) = spec["components"].get(section).and_then(|s| s.get(name)) else {
            continue;
        };
        refs(target, &mut todo);
        if components.get(section).is_none() {
            components[section] = json!({});
        }
        components[section][name] = target.clone();
    }
    doc["components"] = components;
    doc
}

/// Twilio's own specs (`tests/corpus/`), too large to mutate whole: a
/// deterministic sample of paths (evenly spaced, `PATHS_PER_SPEC` per spec),
/// each sliced to what it uses, and every `NODE_STRIDE`-th node of each slice mutated.
#[test]
fn no_mutation_of_a_corpus_sample_panics_or_loses_its_location() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("tests/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    let mut cases = 0;
    for spec_path in &specs {
        let spec: Value =
            serde_json::from_str(&std::fs::read_to_string(spec_path).unwrap()).unwrap();
        let paths: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
        let every = (paths.len() / PATHS_PER_SPEC).max(1);
        for path in paths.iter().step_by(every).take(PATHS_PER_SPEC) {
            let doc = slice(&spec, path);
            // The slice itself must generate: the sample is of valid specs.
            run(Path::new("spec.json"), doc.clone())
                .unwrap_or_else(|e| panic!("{} {path}: {e}", spec_path.display()));
            cases += exercise_doc(spec_path, &doc, NODE_STRIDE);
        }
    }
    println!("{cases} mutated corpus slices, none panicked");
    assert!(
        cases > 1000,
        "expected a meaningful number of cases, ran {cases}"
    );
}

/// How many paths of each corpus spec are sliced and mutated.
const PATHS_PER_SPEC: usize = 4;
/// Every how-many-th node of a slice is mutated (all of them would take minutes).
const NODE_STRIDE: usize = 9;

#[test]
fn no_line_deletion_or_truncation_of_a_yaml_spec_panics() {
    // Text-level damage a YAML file suffers (a lost line, a cut-off file) is
    // found by the YAML reader or the loader: an error naming the file.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/yaml_spec.yaml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let file = Path::new("spec.yaml");
    let mut damaged = vec![];
    for i in 0..lines.len() {
        let mut without = lines.clone();
        without.remove(i);
        damaged.push(without.join("\n"));
        damaged.push(lines[..i].join("\n"));
    }
    let mut failures = vec![];
    for (n, doc) in damaged.iter().enumerate() {
        let result = catch_unwind(AssertUnwindSafe(|| {
            let spec = codegen::load::parse(file, doc)?;
            let api = codegen::lower::lower(&codegen::merge::merge(vec![spec])?)?;
            codegen::emit::emit(&api, &info()).map(|_| ())
        }));
        match result {
            Err(_) => failures.push(format!("PANIC: case {n}")),
            Ok(Err(e)) if e.file != file => failures.push(format!("case {n}: {e}")),
            Ok(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(damaged.len() > 100, "only {} cases", damaged.len());
}
