//! `cargo xtask bench`: how fast the generator is and how heavy its output is.
//! Prints, for the Flex specs and Twilio's `api_v2010` (the largest spec):
//! whole-process generation time of the release generator (fresh output
//! directory each run), generated lines of code, and for `api_v2010` the
//! non-incremental rebuild time of the generated crate after touching `lib.rs`;
//! for Twilio's whole catalogue (when beside the repository), generation one
//! spec per process and all in one process (the catalogue crate), and the
//! catalogue crate's `cargo check` with only `flex` (against `twilio-flex`)
//! and with every product, as ratios against the bars.
//! Figures are measured in this run on this machine; nothing is asserted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Twilio's whole catalogue, beside the repository (`../shared/corpus/twilio-oai`).
pub(crate) const CATALOGUE: &str = "../shared/corpus/twilio-oai";

/// Generation of every spec of the catalogue, one process per spec, one run
/// each (fresh output directory): the total and the slowest spec; then the
/// whole catalogue as one crate in one process (see [`catalogue_crate`]).
/// Whether the catalogue is there.
fn catalogue(exe: &Path, root: &Path, out: &Path) -> Result<bool, String> {
    let dir = root.join(CATALOGUE);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("\n(no catalogue at {}: skipped)", dir.display());
        return Ok(false);
    };
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| codegen::load::is_spec_file(p))
        .collect();
    specs.sort();
    let mut total = Duration::ZERO;
    let mut slowest = (Duration::ZERO, String::new());
    let mut lines = 0;
    for spec in &specs {
        let name = spec
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let dest = out.join(&name);
        let _ = std::fs::remove_dir_all(&dest);
        let start = Instant::now();
        let status = Command::new(exe)
            .arg("generate")
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(&dest)
            .args(["--crate-name", "bench-crate"])
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        let took = start.elapsed();
        if !status.success() {
            return Err(format!(
                "generation of {} failed ({status})",
                spec.display()
            ));
        }
        total += took;
        if took > slowest.0 {
            slowest = (took, name);
        }
        lines += rust_lines(&dest.join("src"))?.1;
    }
    println!();
    println!("| catalogue | specs | generate, all (one process each, one run) | slowest spec | generated .rs lines without runtime |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| {CATALOGUE} | {} | {} | {} ({}) | {lines} |",
        specs.len(),
        ms(total),
        ms(slowest.0),
        slowest.1
    );
    catalogue_crate(exe, root, &dir, &out.join("twilio"), total)?;
    Ok(true)
}

/// Runs of the one-process catalogue generation (median and fastest reported).
const CATALOGUE_RUNS: usize = 5;
/// The bar for generating the whole catalogue in one process.
const CATALOGUE_BAR: Duration = Duration::from_secs(1);

/// `cargo xtask generate --catalogue` (every spec of `dir` and the supplements
/// into one crate) in one process, fresh output directory each run, against
/// the bar and against `separate` (the same specs, one process each). The
/// names lock is a copy: a benchmark never writes the repository's.
fn catalogue_crate(
    exe: &Path,
    root: &Path,
    dir: &Path,
    out: &Path,
    separate: Duration,
) -> Result<(), String> {
    let lock = out.with_extension("lock");
    std::fs::copy(crate::names_lock(), &lock).map_err(|e| format!("copy the names lock: {e}"))?;
    let mut times = vec![];
    for _ in 0..CATALOGUE_RUNS {
        let _ = std::fs::remove_dir_all(out);
        let mut cmd = Command::new(exe);
        cmd.args(["generate", "--catalogue"]).arg(dir);
        for s in crate::catalogue::SUPPLEMENTS {
            cmd.arg("--spec").arg(root.join(s));
        }
        cmd.arg("--out").arg(out).arg("--names-lock").arg(&lock);
        cmd.stdout(std::process::Stdio::null());
        let start = Instant::now();
        let status = cmd
            .status()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        times.push(start.elapsed());
        if !status.success() {
            return Err(format!("generate --catalogue failed ({status})"));
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let (all, own) = rust_lines(&out.join("src"))?;
    println!();
    println!("| catalogue crate (one process) | median of {CATALOGUE_RUNS} | fastest | / bar ({}) | / separate runs ({}) | .rs lines (all / without runtime) |", secs(CATALOGUE_BAR), ms(separate));
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| generate --catalogue | {} | {} | {:.2} | {:.2} | {all} / {own} |",
        ms(median),
        ms(times[0]),
        median.as_secs_f64() / CATALOGUE_BAR.as_secs_f64(),
        median.as_secs_f64() / separate.as_secs_f64()
    );
    Ok(())
}

/// Check runs per crate configuration (the median is reported).
const CHECK_RUNS: usize = 3;
/// The bar for `cargo check` of the catalogue crate with every product.
const ALL_FEATURES_BAR: Duration = Duration::from_secs(60);

/// `cargo check` of the catalogue crate generated by [`catalogue_crate`] with
/// only `flex`, against the `twilio-flex` crate (the ratio is what the bar of
/// 1.2 is about), and with every product (against 60 s). Each is the crate
/// alone, dependencies built: a warm-up check, then `src/lib.rs` touched
/// before each timed, non-incremental check.
fn catalogue_checks(root: &Path, dir: &Path, krate: &Path) -> Result<(), String> {
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"))
        .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    let flex_crate = root.join("generated-client");
    // `twilio-flex` is flex_v2 and the Teams supplement; the catalogue's `flex`
    // is also Twilio's whole flex_v1. So also: one crate of the same specs.
    let same = krate.with_file_name("flex-same-specs");
    let mut flex_specs = vec![];
    for spec in crate::specs_of(dir)?
        .into_iter()
        .chain(crate::catalogue::SUPPLEMENTS.iter().map(|s| root.join(s)))
    {
        let api =
            codegen::api_from_files(std::slice::from_ref(&spec)).map_err(|e| e.to_string())?;
        if api
            .versions
            .iter()
            .any(|v| codegen::emit::product(v) == "flex")
        {
            flex_specs.push(spec);
        }
    }
    let info = codegen::CrateInfo {
        name: "flex-same-specs".into(),
        version: "0.1.0".into(),
        description: "The catalogue's flex specs as one crate.".into(),
        sources: codegen::source_names(&flex_specs),
        standalone: true,
        features: false,
        runtime: crate::runtime_for(&same),
        runtime_sids: crate::read_lock(&crate::names_lock())?,
    };
    let lock = crate::read_lock(&crate::names_lock())?;
    let (files, _) =
        codegen::generate_with(&flex_specs, &info, &lock).map_err(|e| e.to_string())?;
    codegen::write(&same, &files).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), same.join("Cargo.lock"))
        .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    let same_label = format!(
        "one crate of the same specs ({})",
        codegen::source_names(&flex_specs).join(", ")
    );
    let configs: [(&str, &Path, Vec<&str>); 4] = [
        (
            "twilio-flex (generated-client/)",
            &flex_crate,
            vec!["-p", crate::DEFAULT_CRATE],
        ),
        (&same_label, &same, vec![]),
        (
            "catalogue crate, --features flex",
            krate,
            vec!["--no-default-features", "--features", "flex"],
        ),
        (
            "catalogue crate, --all-features",
            krate,
            vec!["--all-features"],
        ),
    ];
    let mut medians = vec![];
    for (label, dir, args) in &configs {
        let check = || {
            let mut c = crate::test::cargo(root);
            c.args(["check", "--quiet"]);
            if *dir != flex_crate.as_path() {
                c.arg("--manifest-path").arg(dir.join("Cargo.toml"));
            }
            c.args(args)
                .env("CARGO_TARGET_DIR", root.join("target"))
                .env("CARGO_INCREMENTAL", "0");
            c
        };
        crate::test::step(&format!("cargo check (warm-up): {label}"), &mut check())?;
        let mut times = vec![];
        for _ in 0..CHECK_RUNS {
            touch(&dir.join("src/lib.rs"))?;
            let start = Instant::now();
            let status = check().status().map_err(|e| e.to_string())?;
            times.push(start.elapsed());
            if !status.success() {
                return Err(format!("cargo check of {label} failed ({status})"));
            }
        }
        times.sort();
        medians.push(times[times.len() / 2]);
    }
    let (flex, same_specs, only_flex, all) = (medians[0], medians[1], medians[2], medians[3]);
    println!();
    println!("| cargo check, dev, CARGO_INCREMENTAL=0, after touching src/lib.rs (median of {CHECK_RUNS}) | time | ratio |");
    println!("| --- | --- | --- |");
    println!("| {} | {} | 1.00 |", configs[0].0, secs(flex));
    println!(
        "| {} | {} | {:.2} of twilio-flex |",
        configs[1].0,
        secs(same_specs),
        same_specs.as_secs_f64() / flex.as_secs_f64()
    );
    println!(
        "| {} | {} | {:.2} of twilio-flex (bar 1.2), {:.2} of the same specs' crate |",
        configs[2].0,
        secs(only_flex),
        only_flex.as_secs_f64() / flex.as_secs_f64(),
        only_flex.as_secs_f64() / same_specs.as_secs_f64()
    );
    println!(
        "| {} | {} | {:.2} of the {} bar |",
        configs[3].0,
        secs(all),
        all.as_secs_f64() / ALL_FEATURES_BAR.as_secs_f64(),
        secs(ALL_FEATURES_BAR)
    );
    Ok(())
}

/// Generation runs per spec set (the median and the fastest are reported).
const GENERATE_RUNS: usize = 11;
/// Rebuilds of the generated crate.
const REBUILD_RUNS: usize = 3;

pub fn run(args: &[String]) -> Result<(), String> {
    let (skip_rebuild, progenitor_only) = match args {
        [] => (false, false),
        [a] if a == "--no-rebuild" => (true, false),
        [a] if a == "--progenitor" => (false, true),
        _ => return Err("usage: cargo xtask bench [--no-rebuild | --progenitor]".into()),
    };
    let root = crate::root();
    crate::test::step(
        "cargo build --release -p xtask",
        crate::test::cargo(&root).args(["build", "--release", "--quiet", "-p", "xtask"]),
    )?;
    let exe = root.join("target/release/xtask");
    let work = root.join("target/bench");
    let flex: Vec<PathBuf> = crate::default_specs()?
        .into_iter()
        .map(|p| root.join(p))
        .collect();
    let api = vec![root.join("codegen/tests/corpus/twilio_api_v2010.json")];
    if progenitor_only {
        // The Flex builds and progenitor's, measured in one run.
        let flex_times = flex_build(&exe, &root, &work, &flex)?;
        return crate::progenitor::compare(&root, &work, &flex, &flex_times, REBUILD_RUNS);
    }
    println!();
    println!("| spec set | generate, median of {GENERATE_RUNS} | fastest | generated .rs lines (all / without runtime) |");
    println!("| --- | --- | --- | --- |");
    for (label, specs, out) in [
        ("Flex (specs/)", &flex, work.join("flex")),
        ("twilio_api_v2010.json", &api, work.join("api-v2010")),
    ] {
        let mut times = vec![];
        for _ in 0..GENERATE_RUNS {
            let _ = std::fs::remove_dir_all(&out);
            let mut cmd = Command::new(&exe);
            cmd.arg("generate");
            for s in specs.iter() {
                cmd.arg("--spec").arg(s);
            }
            cmd.arg("--out")
                .arg(&out)
                .args(["--crate-name", "bench-crate"]);
            cmd.stdout(std::process::Stdio::null());
            let start = Instant::now();
            let status = cmd
                .status()
                .map_err(|e| format!("{}: {e}", exe.display()))?;
            times.push(start.elapsed());
            if !status.success() {
                return Err(format!("generation of {label} failed ({status})"));
            }
        }
        times.sort();
        let (all, own) = rust_lines(&out.join("src"))?;
        println!(
            "| {label} | {} | {} | {all} / {own} |",
            ms(times[times.len() / 2]),
            ms(times[0])
        );
    }
    let have_catalogue = catalogue(&exe, &root, &work.join("catalogue"))?;
    if skip_rebuild {
        return Ok(());
    }
    let flex_times = flex_build(&exe, &root, &work, &flex)?;
    crate::progenitor::compare(&root, &work, &flex, &flex_times, REBUILD_RUNS)?;
    if have_catalogue {
        catalogue_checks(&root, &root.join(CATALOGUE), &work.join("catalogue/twilio"))?;
    }
    let krate = work.join("api-v2010");
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"))
        .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    let build = || {
        let mut c = crate::test::cargo(&root);
        c.args(["build", "--quiet", "--manifest-path"])
            .arg(krate.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("CARGO_INCREMENTAL", "0");
        c
    };
    // Dependencies (and a first build of the crate) are not part of the figure.
    crate::test::step("cargo build (warm-up) of the api_v2010 crate", &mut build())?;
    let mut times = vec![];
    for _ in 0..REBUILD_RUNS {
        touch(&krate.join("src/lib.rs"))?;
        let start = Instant::now();
        let status = build().status().map_err(|e| e.to_string())?;
        times.push(start.elapsed());
        if !status.success() {
            return Err(format!("rebuild of the api_v2010 crate failed ({status})"));
        }
    }
    let shown: Vec<String> = times.iter().map(|t| secs(*t)).collect();
    times.sort();
    println!();
    println!(
        "api_v2010 crate, dev profile, CARGO_INCREMENTAL=0, after touching src/lib.rs: median {} (runs: {})",
        secs(times[times.len() / 2]),
        shown.join(", ")
    );
    Ok(())
}

/// The Flex crate's build time with its dependencies built (dev profile,
/// `CARGO_INCREMENTAL=0`, median of `REBUILD_RUNS` after touching files):
/// generated with `--vendor-runtime` (the runtime compiled inside the crate, as
/// before it was a crate of its own), and depending on the runtime crate, whose
/// build then is a dependency's; also the runtime crate rebuilt with it.
/// The label of the Flex build that depends on the built runtime.
pub const FLEX_RUNTIME_BUILT: &str = "depending on twilio-runtime (built)";
/// The label of the Flex build with the runtime rebuilt too.
pub const FLEX_RUNTIME_REBUILT: &str = "depending on twilio-runtime, both rebuilt";

fn flex_build(
    exe: &Path,
    root: &Path,
    work: &Path,
    flex: &[PathBuf],
) -> Result<Vec<(&'static str, Duration)>, String> {
    let runtime_lib = root.join(crate::RUNTIME_DIR).join("src/lib.rs");
    let mut rows: Vec<(&str, Duration)> = vec![];
    for (label, vendored, touch_runtime) in [
        (
            "runtime vendored into the crate (`--vendor-runtime`, as before)",
            true,
            false,
        ),
        (FLEX_RUNTIME_BUILT, false, false),
        (FLEX_RUNTIME_REBUILT, false, true),
    ] {
        let krate = work.join(if vendored {
            "flex-vendored"
        } else {
            "flex-crate"
        });
        let mut cmd = Command::new(exe);
        cmd.arg("generate");
        for s in flex {
            cmd.arg("--spec").arg(s);
        }
        cmd.arg("--out")
            .arg(&krate)
            .args(["--crate-name", "twilio-flex-bench"]);
        if vendored {
            cmd.arg("--vendor-runtime");
        }
        let status = cmd
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        if !status.success() {
            return Err(format!("generation of the Flex crate failed ({status})"));
        }
        std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
        let build = || {
            let mut c = crate::test::cargo(root);
            c.args(["build", "--quiet", "--manifest-path"])
                .arg(krate.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", root.join("target"))
                .env("CARGO_INCREMENTAL", "0");
            c
        };
        crate::test::step(
            &format!("cargo build (warm-up): Flex, {label}"),
            &mut build(),
        )?;
        let mut times = vec![];
        for _ in 0..REBUILD_RUNS {
            touch(&krate.join("src/lib.rs"))?;
            if touch_runtime {
                touch(&runtime_lib)?;
            }
            let start = Instant::now();
            let status = build().status().map_err(|e| e.to_string())?;
            times.push(start.elapsed());
            if !status.success() {
                return Err(format!(
                    "build of the Flex crate ({label}) failed ({status})"
                ));
            }
        }
        times.sort();
        rows.push((label, times[times.len() / 2]));
    }
    println!();
    println!("| Flex crate build, dependencies built (dev, CARGO_INCREMENTAL=0, median of {REBUILD_RUNS}) | time | vs vendored |");
    println!("| --- | --- | --- |");
    let before = rows[0].1.as_secs_f64();
    for (label, t) in &rows {
        println!(
            "| {label} | {} | {:.2}x |",
            secs(*t),
            t.as_secs_f64() / before
        );
    }
    Ok(rows)
}

/// Lines of every `.rs` file under `dir`, and of those outside `runtime/`.
fn rust_lines(dir: &Path) -> Result<(usize, usize), String> {
    let mut all = 0;
    let mut own = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let n = std::fs::read_to_string(&p)
                    .map_err(|e| format!("{}: {e}", p.display()))?
                    .lines()
                    .count();
                all += n;
                if !p.components().any(|c| c.as_os_str() == "runtime") {
                    own += n;
                }
            }
        }
    }
    Ok((all, own))
}

/// Sets the file's modification time to now (so cargo rebuilds the crate).
pub(crate) fn touch(p: &Path) -> Result<(), String> {
    let f = std::fs::File::options()
        .append(true)
        .open(p)
        .map_err(|e| format!("{}: {e}", p.display()))?;
    f.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("{}: {e}", p.display()))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub(crate) fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}
