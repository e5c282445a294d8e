//! `cargo xtask test`: everything CI checks, with its set-up. On a fresh machine it
//! installs the pinned Prism mock server (`npm ci` from the committed lock file),
//! serves the merged spec on a free loopback port, runs every test against it and
//! stops the server by PID, whatever the outcome.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`cargo xtask test` takes no arguments (got `{a}`)"));
    }
    let root = crate::root();
    step(
        "cargo fmt --check",
        cargo(&root).args(["fmt", "--all", "--", "--check"]),
    )?;
    step(
        "cargo clippy",
        cargo(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    println!("==> cargo xtask generate --check");
    crate::generate(&["--check".to_string()])?;
    check_package_has_license(&root)?;
    check_generated_crates(&root, "codegen/tests/fixtures", "fixture", "fixtures")?;
    test_fixture_crates(&root)?;
    check_generated_crates(&root, "codegen/tests/corpus", "corpus", "corpus")?;
    check_two_products(&root)?;
    // Twilio's whole catalogue, where it sits beside the repository (as it does in
    // this project's CI): every spec generates into the one catalogue crate, which
    // passes clippy with every product and with each of flex, messaging and api alone.
    let catalogue = root.join(crate::bench::CATALOGUE);
    if catalogue.is_dir() {
        check_catalogue_crate(&root, &catalogue)?;
        // Every operation of every spec against Prism serving it (a crate per
        // spec, each with its contract harness).
        println!("==> cargo xtask contract (every catalogue operation against Prism)");
        let report = root.join(crate::contract::REPORT);
        crate::contract::run(&[
            "--report".to_string(),
            report.to_string_lossy().into_owned(),
        ])?;
    } else {
        println!(
            "==> cargo xtask catalogue and contract: SKIPPED, no catalogue at {}",
            catalogue.display()
        );
    }
    check_diff_callers(&root)?;

    lint_workflows(&root)?;

    install_prism(&root)?;
    // The hand-written supplement must be a valid OpenAPI document in its own right,
    // checked by a real validator (and Twilio's files, which pass it too).
    step(
        "validate specs/*.json (swagger-parser)",
        Command::new("node")
            .arg(root.join("xtask/prism/validate-specs.js"))
            .args(crate::default_specs()?.iter().map(|p| root.join(p))),
    )?;
    let spec = root.join("target/xtask/merged-spec.json");
    let specs: Vec<PathBuf> = crate::default_specs()?
        .iter()
        .map(|p| root.join(p))
        .collect();
    crate::write_merged_spec(&specs, &spec)?;
    let prism = Prism::start(&root, &spec)?;
    println!(
        "==> Prism mock server on {} (pid {})",
        prism.url,
        prism.child.id()
    );

    step(
        "cargo test --workspace",
        cargo(&root)
            .args(["test", "--workspace"])
            .env("TWILIO_PRISM_URL", &prism.url),
    )?;
    // The README's example program, end to end against the mock.
    step(
        "cargo run --example teams_hierarchy (against Prism)",
        cargo(&root)
            .args(["run", "--quiet", "-p", crate::DEFAULT_CRATE])
            .args(["--example", "teams_hierarchy"])
            .env("TWILIO_BASE_URL", &prism.url)
            .env("TWILIO_ACCOUNT_SID", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .env("TWILIO_AUTH_TOKEN", "mock-token")
            .env("FLEX_INSTANCE_SID", "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .env("FLEX_USER_SID", "FU00000000000000000000000000000000")
            .env_remove("TWILIO_REGION")
            .env_remove("TWILIO_EDGE"),
    )?;
    drop(prism);
    step(
        "cargo doc (generated client and runtime, warnings denied)",
        cargo(&root)
            .args(["doc", "--no-deps", "--all-features"])
            .args([
                "-p",
                crate::DEFAULT_CRATE,
                "-p",
                codegen::emit::RUNTIME_CRATE,
            ])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    println!("==> all checks passed");
    Ok(())
}

/// The catalogue crate of the specs in `dir`: generated (its names all in the
/// committed lock) and checked with clippy, warnings denied, with every product
/// and with each of [`PRODUCTS_ALONE`](crate::catalogue::PRODUCTS_ALONE) alone
/// (so a product's feature turns on all it needs). This proves what building
/// each spec's own crate did (every spec generates, its code passes clippy),
/// in one compilation of the runtime instead of 55; `cargo xtask catalogue`
/// still builds them one by one.
fn check_catalogue_crate(root: &Path, dir: &Path) -> Result<(), String> {
    let out = root.join("target/xtask").join(crate::CATALOGUE_CRATE);
    println!(
        "==> cargo xtask generate --catalogue {} (into {})",
        dir.display(),
        out.display()
    );
    crate::catalogue::generate_crate(root, dir, &out)?;
    let clippy = |features: &[&str]| {
        let mut c = cargo(root);
        c.args(["clippy", "--quiet", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .args(features)
            .args(["--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root.join("target"));
        c
    };
    step(
        "cargo clippy (catalogue crate, all features)",
        &mut clippy(&["--all-features"]),
    )?;
    for product in crate::catalogue::PRODUCTS_ALONE {
        step(
            &format!("cargo clippy (catalogue crate, only `{product}`)"),
            &mut clippy(&["--no-default-features", "--features", product]),
        )?;
    }
    Ok(())
}

/// The published crate must carry the licence its `Cargo.toml` declares.
fn check_package_has_license(root: &Path) -> Result<(), String> {
    println!(
        "==> cargo package --list ({} carries LICENSE)",
        crate::DEFAULT_CRATE
    );
    let out = cargo(root)
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "-p",
            crate::DEFAULT_CRATE,
        ])
        .output()
        .map_err(|e| format!("cargo package --list: cannot start: {e}"))?;
    let list = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !list.lines().any(|l| l == "LICENSE") {
        return Err(format!(
            "cargo package --list -p {}: no LICENSE in the package ({}):\n{list}{}",
            crate::DEFAULT_CRATE,
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// Generates a standalone crate from each spec in `dir` and runs clippy on it
/// with warnings denied (here, in CI, rather than by `#![deny(warnings)]` in
/// the published crate, which a newer compiler's new lints would break for
/// users building from source): snapshots show what the generator emits, this shows that it builds. Run for the fixture specs (one
/// construct each) and for the corpus (seven of Twilio's own specs, verbatim).
/// The workspace's lock file and target directory are shared so dependencies
/// are built once.
fn check_generated_crates(
    root: &Path,
    dir: &str,
    prefix: &str,
    out_dir: &str,
) -> Result<(), String> {
    let dir = root.join(dir);
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| codegen::load::is_spec_file(p))
        .collect();
    specs.sort();
    for spec in specs {
        let name = format!(
            "{prefix}-{}",
            spec.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .replace('_', "-")
        );
        let out = root.join("target/xtask").join(out_dir).join(&name);
        let args: Vec<String> = [
            "--spec",
            &spec.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
            "--crate-name",
            &name,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let a = crate::parse_generate(&args)?;
        // As `cargo xtask generate --spec` does: SID names from the lock, read only.
        let lock = crate::read_lock(&a.lock)?;
        let (files, _) =
            codegen::generate_with(&a.specs, &a.info, &lock).map_err(|e| e.to_string())?;
        codegen::write(&a.out, &files).map_err(|e| e.to_string())?;
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
        step(
            &format!("cargo clippy {name}"),
            cargo(root)
                .args(["clippy", "--quiet", "--manifest-path"])
                .arg(out.join("Cargo.toml"))
                .args(["--", "-D", "warnings"])
                .env("CARGO_TARGET_DIR", root.join("target")),
        )?;
    }
    Ok(())
}

/// Generates the crate `name` from `spec` into `out` as `cargo xtask generate
/// --spec` does (with `extra` arguments), with the workspace's lock file.
fn generate_crate(
    root: &Path,
    spec: &Path,
    out: &Path,
    name: &str,
    extra: &[&str],
) -> Result<(), String> {
    let mut args: Vec<String> = vec![
        "--spec".into(),
        spec.to_string_lossy().into_owned(),
        "--out".into(),
        out.to_string_lossy().into_owned(),
        "--crate-name".into(),
        name.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let a = crate::parse_generate(&args)?;
    let lock = crate::read_lock(&a.lock)?;
    let (files, _) = codegen::generate_with(&a.specs, &a.info, &lock).map_err(|e| e.to_string())?;
    codegen::write(&a.out, &files).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    Ok(())
}

/// One application using two Twilio products (the Flex crate and a crate
/// generated from `twilio_numbers_v1.json`) has one `Client`, `Error` and
/// `AccountSid`: `two-products/caller.rs` passes each from one crate to the
/// other, and must compile. Against the same crate generated with
/// `--vendor-runtime` (its own runtime copy, so its own types) it must not,
/// which shows the check can fail; that crate must itself pass clippy.
fn check_two_products(root: &Path) -> Result<(), String> {
    let spec = root.join("codegen/tests/corpus/twilio_numbers_v1.json");
    let work = root.join("target/xtask/two-products");
    let shared = work.join("numbers");
    let vendored = work.join("numbers-vendored");
    generate_crate(root, &spec, &shared, "two-products-numbers", &[])?;
    generate_crate(
        root,
        &spec,
        &vendored,
        "two-products-numbers",
        &["--vendor-runtime"],
    )?;
    step(
        "cargo clippy two-products-numbers (--vendor-runtime)",
        cargo(root)
            .args(["clippy", "--quiet", "--manifest-path"])
            .arg(vendored.join("Cargo.toml"))
            .args(["--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root.join("target")),
    )?;
    let caller = CallerCrate::new(
        root,
        &root.join("codegen/tests/two-products/caller.rs"),
        work.join("caller"),
        "two-products-caller",
    )?;
    let twilio_flex = root.join("generated-client");
    let check_against = |numbers: &Path| {
        caller.check(&[
            ("twilio-flex", "twilio-flex", &twilio_flex),
            ("numbers", "two-products-numbers", numbers),
        ])
    };
    println!("==> two products, one runtime (two-products/caller.rs)");
    let (compiles, errors) = check_against(&shared)?;
    if !compiles {
        return Err(format!(
            "two-products/caller.rs does not compile: the Flex crate and the numbers crate do not share their runtime types:\n{errors}"
        ));
    }
    let (compiles, errors) = check_against(&vendored)?;
    if compiles || !errors.contains("mismatched types") {
        return Err(format!(
            "two-products/caller.rs against a crate with its own (vendored) runtime: expected mismatched types, got {}:\n{errors}",
            if compiles { "a successful build" } else { "other errors" }
        ));
    }
    println!("    one Client, Error and AccountSid; with --vendor-runtime: mismatched types, as expected");
    Ok(())
}

/// Whether `cargo xtask diff`'s Rust classification is honest. Each fixture pair
/// in `codegen/tests/diff/` with a `caller.rs` (code written against the crate of
/// `old.json`) must compile against the old crate, and against the new crate
/// exactly when the diff calls the change minor, patch or nothing (not major).
/// Crates are generated once per distinct spec (most pairs share their old spec)
/// and built in the workspace's target directory with its lock file.
fn check_diff_callers(root: &Path) -> Result<(), String> {
    use codegen::diff::RustImpact;
    let dir = root.join("codegen/tests/diff");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("caller.rs").exists())
        .collect();
    cases.sort();
    if cases.is_empty() {
        return Err(format!(
            "no fixture pair with a caller.rs in {}",
            dir.display()
        ));
    }
    println!(
        "==> diff classification vs compilation ({} fixture pairs)",
        cases.len()
    );
    let work = root.join("target/xtask/diff");
    for case in cases {
        let name = case
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (old_spec, new_spec) = (case.join("old.json"), case.join("new.json"));
        let api =
            |spec: &Path| codegen::api_from_files(&[spec.to_path_buf()]).map_err(|e| e.to_string());
        let report = codegen::diff::diff("old", &api(&old_spec)?, "new", &api(&new_spec)?, None);
        let should_compile = report.rust != RustImpact::Major;
        let old_crate = diff_fixture_crate(root, &work, &old_spec)?;
        let new_crate = diff_fixture_crate(root, &work, &new_spec)?;
        let caller = CallerCrate::new(
            root,
            &case.join("caller.rs"),
            work.join(format!("caller-{name}")),
            &format!("diff-caller-{}", name.replace('_', "-")),
        )?;
        let check_against = |krate: &Path| caller.check(&[("api", "diff-fixture", krate)]);
        let (compiles, errors) = check_against(&old_crate)?;
        if !compiles {
            return Err(format!(
                "{name}/caller.rs does not compile against the crate of old.json, so it proves nothing:\n{errors}"
            ));
        }
        let (compiles, errors) = check_against(&new_crate)?;
        println!(
            "    {name}: diff says {:?}, the old caller {} against the new crate",
            report.rust,
            if compiles { "compiles" } else { "fails" }
        );
        if compiles != should_compile {
            return Err(format!(
                "{name}: the diff calls the Rust change {:?}, but the caller written against old.json {} against new.json's crate{}",
                report.rust,
                if compiles { "still compiles" } else { "no longer compiles" },
                if compiles { String::new() } else { format!(":\n{errors}") }
            ));
        }
    }
    Ok(())
}

/// A crate of one hand-written `caller.rs`, checked against generated crates
/// (which must or must not compile with it), in the workspace's target directory
/// and with its lock file.
struct CallerCrate<'a> {
    root: &'a Path,
    dir: PathBuf,
    name: String,
}

impl<'a> CallerCrate<'a> {
    fn new(root: &'a Path, source: &Path, dir: PathBuf, name: &str) -> Result<Self, String> {
        std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::copy(source, dir.join("src/lib.rs"))
            .map_err(|e| format!("copy {}: {e}", source.display()))?;
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
        Ok(CallerCrate {
            root,
            dir,
            name: name.to_string(),
        })
    }

    /// Whether the caller compiles with `deps` (name in the caller, package,
    /// path), and the compiler's messages.
    fn check(&self, deps: &[(&str, &str, &Path)]) -> Result<(bool, String), String> {
        let mut manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n",
            self.name
        );
        for (name, package, path) in deps {
            manifest.push_str(&format!(
                "{name} = {{ package = \"{package}\", path = {:?} }}\n",
                path.display().to_string()
            ));
        }
        manifest.push_str("\n[workspace]\n");
        std::fs::write(self.dir.join("Cargo.toml"), manifest)
            .map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let out = cargo(self.root)
            .args(["check", "--quiet", "--manifest-path"])
            .arg(self.dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .output()
            .map_err(|e| format!("cargo check: cannot start: {e}"))?;
        Ok((
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

/// The standalone crate `diff-fixture` generated from `spec`, in a directory named
/// by the spec's content so that identical specs share one build.
fn diff_fixture_crate(root: &Path, work: &Path, spec: &Path) -> Result<PathBuf, String> {
    use std::hash::{Hash, Hasher};
    let text = std::fs::read(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let out = work.join(format!("crate-{:016x}", h.finish()));
    let info = codegen::CrateInfo {
        name: "diff-fixture".into(),
        version: "0.1.0".into(),
        description: "Diff fixture crate.".into(),
        sources: codegen::source_names(&[spec.to_path_buf()]),
        standalone: true,
        features: false,
        runtime: crate::runtime_for(&out),
        runtime_sids: crate::read_lock(&crate::names_lock())?,
    };
    let files = codegen::generate(&[spec.to_path_buf()], &info).map_err(|e| e.to_string())?;
    codegen::write(&out, &files).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    Ok(out)
}

pub(crate) fn cargo(root: &Path) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root);
    // A CI run builds from a cold target once: incremental state only costs disk
    // there (about 2.5 GB of the 6 GB a run writes), and CI machines share a disk.
    if std::env::var_os("CI").is_some() && std::env::var_os("CARGO_INCREMENTAL").is_none() {
        c.env("CARGO_INCREMENTAL", "0");
    }
    c
}

pub(crate) fn step(name: &str, cmd: &mut Command) -> Result<(), String> {
    println!("==> {name}");
    let status = cmd
        .status()
        .map_err(|e| format!("{name}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name} failed ({status})"))
    }
}

/// `npm ci` from the committed lock file, skipped when the installed tree was
/// made from the same lock file.
pub(crate) fn install_prism(root: &Path) -> Result<(), String> {
    let dir = root.join("xtask/prism");
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("xtask/prism/package-lock.json: {e}"))?;
    let stamp = dir.join("node_modules/.xtask-lock-stamp");
    if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..])
        && dir.join("node_modules/.bin/prism").exists()
    {
        return Ok(());
    }
    step(
        "npm ci (Prism mock server, OpenAPI validator)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )?;
    std::fs::write(&stamp, &lock).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// Checks `.github/workflows/*.yml` with actionlint (and ShellCheck for `run:`
/// scripts), which CI cannot run here: installed with pip from the hash-pinned
/// `xtask/actionlint/requirements.txt` into a virtualenv under `target/` (skipped
/// when already installed from the same file).
fn lint_workflows(root: &Path) -> Result<(), String> {
    let req = root.join("xtask/actionlint/requirements.txt");
    let lock = std::fs::read(&req).map_err(|e| format!("{}: {e}", req.display()))?;
    let venv = root.join("target/xtask/actionlint");
    let bin = venv.join("bin");
    let stamp = venv.join(".xtask-lock-stamp");
    if std::fs::read(&stamp).ok().as_deref() != Some(&lock[..]) || !bin.join("actionlint").exists()
    {
        let _ = std::fs::remove_dir_all(&venv);
        step(
            "python3 -m venv (actionlint)",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
        step(
            "pip install actionlint, shellcheck (hash-pinned)",
            Command::new(bin.join("pip"))
                .args([
                    "install",
                    "--quiet",
                    "--require-hashes",
                    "--only-binary=:all:",
                ])
                .args(["--no-deps", "-r"])
                .arg(&req),
        )?;
        std::fs::write(&stamp, &lock).map_err(|e| format!("{}: {e}", stamp.display()))?;
    }
    let dir = root.join(".github/workflows");
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    workflows.sort();
    if workflows.is_empty() {
        return Err(format!("no workflow in {}", dir.display()));
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    step(
        "actionlint .github/workflows",
        Command::new(bin.join("actionlint"))
            .arg("-shellcheck")
            .arg(bin.join("shellcheck"))
            .args(&workflows)
            .current_dir(root)
            .env("PATH", path),
    )
}

/// Runs the hand-written tests in `codegen/tests/fixture-tests/NAME.rs` inside the
/// crate generated from fixture `NAME` (by `check_generated_crates`): behaviour the
/// Flex specs cannot show, such as enums meeting values from a newer API.
fn test_fixture_crates(root: &Path) -> Result<(), String> {
    let dir = root.join("codegen/tests/fixture-tests");
    let mut tests: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    tests.sort();
    for test in tests {
        let stem = test.file_stem().unwrap_or_default().to_string_lossy();
        let name = format!("fixture-{}", stem.replace('_', "-"));
        let krate = root.join("target/xtask/fixtures").join(&name);
        if !krate.join("Cargo.toml").exists() {
            return Err(format!(
                "{}: no fixture spec codegen/tests/fixtures/{stem}.json to test",
                test.display()
            ));
        }
        let dest = krate.join("tests");
        std::fs::create_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        std::fs::copy(&test, dest.join(format!("{stem}.rs")))
            .map_err(|e| format!("copy {}: {e}", test.display()))?;
        step(
            &format!("cargo test {name}"),
            cargo(root)
                .args(["test", "--quiet", "--manifest-path"])
                .arg(krate.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", root.join("target")),
        )?;
    }
    Ok(())
}

/// A running Prism; killed by PID when dropped.
pub(crate) struct Prism {
    pub(crate) child: Child,
    pub(crate) url: String,
}

impl Prism {
    pub(crate) fn start(root: &Path, spec: &Path) -> Result<Prism, String> {
        let bin = root.join("xtask/prism/node_modules/.bin/prism");
        let mut child = Command::new(&bin)
            .args(["mock", "-h", "127.0.0.1", "-p", "0"])
            .arg(spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads Prism's log for the port, then keeps draining it so Prism never blocks.
        // One log per spec: the contract tests run a few Prism instances at once.
        let log_name = format!(
            "target/xtask/prism-{}.log",
            spec.file_stem().unwrap_or_default().to_string_lossy()
        );
        let log_path = root.join(&log_name);
        std::thread::spawn(move || {
            let mut log = std::fs::File::create(log_path).ok();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.split("listening on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                }
                if let Some(f) = log.as_mut() {
                    use std::io::Write;
                    let _ = writeln!(f, "{line}");
                }
            }
        });
        let mut prism = Prism {
            child,
            url: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(url) = rx.recv_timeout(Duration::from_millis(200)) {
                prism.url = url;
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "Prism exited before listening ({status}); see {log_name}"
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Prism did not report a listening port within 60 s; see {log_name}"
                ));
            }
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
