//! `cargo xtask`: the generator's command line.
//!
//! - `cargo xtask generate [--check]`: regenerate `generated-client/` from `specs/`
//!   (or, with `--check`, write nothing and fail if it is stale).
//! - `cargo xtask generate --spec A.json [--spec B.json…] --out DIR --crate-name NAME`:
//!   any spec set into a standalone crate.
//! - `cargo xtask generate --catalogue DIR [--spec SUPPLEMENT…] --out DIR`: every
//!   spec in DIR (Twilio's whole catalogue), and any supplements, into one crate
//!   (`twilio`) with a cargo feature per product, its names kept by `specs/names.lock`.
//! - `cargo xtask sid-names DIR…`: add to `specs/names.lock` a name for every
//!   SID prefix set the specs in DIR use that it lacks (how the lock was seeded
//!   from Twilio's whole catalogue).
//! - `cargo xtask diff OLD NEW`: the API changes between two spec sets (paths or
//!   `REV:PATH`), classified for HTTP callers and for the crate's semver.
//! - `cargo xtask update SPEC.json…`: a new spec drop into `specs/`, regenerated,
//!   version-bumped by the diff's verdict, changelogged and packaged (dry run).
//! - `cargo xtask test`: every check and test, setting up what they need.
//! - `cargo xtask catalogue [DIR]`: every spec of Twilio's catalogue generated and
//!   checked with clippy, one row per spec.

mod bench;
mod catalogue;
mod contract;
mod diff;
mod progenitor;
mod test;
mod update;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_CRATE: &str = "twilio-flex";
/// The crate `generate --catalogue` makes from Twilio's whole catalogue.
pub const CATALOGUE_CRATE: &str = "twilio";
const DEFAULT_DESCRIPTION: &str =
    "Typed async client for Twilio Flex, generated from Twilio's OpenAPI specs.";

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("catalogue") => catalogue::run(&args[1..]),
        Some("contract") => contract::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("update") => update::run(&args[1..]),
        Some("merged-spec") => merged_spec(&args[1..]),
        Some("sid-names") => seed_sid_names(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage:
  cargo xtask generate [--check] [--spec FILE]... [--out DIR] [--crate-name NAME] [--names-lock LOCK] [--vendor-runtime]
  cargo xtask generate [--check] --catalogue DIR [--spec SUPPLEMENT]... --out DIR [--crate-name NAME] [--names-lock LOCK] [--vendor-runtime]
  cargo xtask sid-names DIR...
  cargo xtask test
  cargo xtask contract [--report FILE] [DIR] [SPEC_STEM]...
  cargo xtask bench [--no-rebuild]
  cargo xtask catalogue [DIR]
  cargo xtask diff OLD NEW [--format markdown|json] [--fail-on breaking|major]
  cargo xtask update [--root DIR] SPEC.json...        (new spec files)
  cargo xtask update [--root DIR] --from CHECKOUT NAME.json...  (from a twilio-oai checkout)
  cargo xtask merged-spec OUT.json [--spec FILE]...";

/// The repository root (the workspace this xtask belongs to).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is one level below the root")
        .to_path_buf()
}

/// The runtime crate's directory, relative to the repository root.
pub const RUNTIME_DIR: &str = "codegen/runtime";

/// How a crate generated into `out` depends on the runtime crate: by version,
/// and by a relative path too when `out` is inside this repository (the
/// repository's own crate, the test crates under `target/`), where the runtime
/// being built is the one in the checkout. Elsewhere a path would name a
/// directory that a user's copy of the crate does not have.
pub fn runtime_for(out: &Path) -> codegen::RuntimeSource {
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(out)
    };
    // Lexically, as `out` may not exist yet: `a/./b/../c` is `a/c`.
    let mut normal = PathBuf::new();
    for c in out.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            c => normal.push(c),
        }
    }
    let root = root();
    let root = root.canonicalize().unwrap_or(root);
    match normal.strip_prefix(&root) {
        Ok(inside) => {
            let up = "../".repeat(inside.components().count());
            codegen::RuntimeSource::path(format!("{up}{RUNTIME_DIR}"))
        }
        Err(_) => codegen::RuntimeSource::Crate { path: None },
    }
}

/// The names lock (SID types, resources, format enums, methods, types) that `cargo xtask generate` reads and extends, relative
/// to the repository root.
pub const NAMES_LOCK: &str = "specs/names.lock";

/// The repository's names lock.
pub fn names_lock() -> PathBuf {
    root().join(NAMES_LOCK)
}

/// Reads a names lock (a missing file is an empty lock).
pub fn read_lock(path: &Path) -> Result<codegen::NamesLock, String> {
    codegen::NamesLock::read(path).map_err(|e| e.to_string())
}

/// `specs/*.json`, sorted, relative to the root so headers and errors read well.
pub fn default_specs() -> Result<Vec<PathBuf>, String> {
    specs_in(&root())
}

/// Every spec file (`*.json`, `*.yaml`, `*.yml`) in `dir`, sorted.
pub fn specs_of(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| codegen::load::is_spec_file(p))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!(
            "no spec (*.json, *.yaml, *.yml) in {}",
            dir.display()
        ));
    }
    Ok(specs)
}

/// The crate of Twilio's whole catalogue (`specs`, every spec of one
/// directory): a cargo feature per product, so a caller compiles only those
/// it uses. Its files name the spec set by its size and ends, not by the
/// directory it was read from, so any checkout generates the same bytes.
pub fn catalogue_crate_info(
    specs: &[PathBuf],
    name: String,
    runtime: codegen::RuntimeSource,
    runtime_sids: codegen::NamesLock,
) -> codegen::CrateInfo {
    let names = codegen::source_names(specs);
    let source = match names.as_slice() {
        [one] => one.clone(),
        [first, .., last] => format!("{} specs, {first} to {last}", names.len()),
        [] => String::new(),
    };
    codegen::CrateInfo {
        name,
        version: "0.1.0".into(),
        description: "Typed async client for Twilio's APIs, one cargo feature per product, generated from Twilio's OpenAPI specs.".into(),
        sources: vec![source],
        standalone: true,
        runtime,
        runtime_sids,
        features: true,
    }
}

/// `specs/*.json` of the repository at `root`, sorted, relative to `root`.
pub fn specs_in(root: &Path) -> Result<Vec<PathBuf>, String> {
    // Stripping the same prefix from every path keeps them sorted.
    Ok(specs_of(&root.join("specs"))?
        .into_iter()
        .map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p))
        .collect())
}

/// The file holding the generated crate's version (an input of the generator).
pub const RELEASE_FILE: &str = "release.toml";

/// The `version` in `release.toml` under `root`: exactly one `version = "X.Y.Z"`
/// line besides comments and blank lines.
pub fn release_version(root: &Path) -> Result<String, String> {
    let path = root.join(RELEASE_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut version = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let v = line
            .strip_prefix("version")
            .map(str::trim_start)
            .and_then(|l| l.strip_prefix('='))
            .map(str::trim)
            .and_then(|l| l.strip_prefix('"')?.strip_suffix('"'))
            .filter(|v| codegen::diff::next_version(v, codegen::diff::RustImpact::None).is_some());
        match (v, &version) {
            (Some(v), None) => version = Some(v.to_string()),
            _ => {
                return Err(format!(
                    "{}:{}: expected one line `version = \"MAJOR.MINOR.PATCH\"` (and comments), got `{line}`",
                    path.display(),
                    n + 1
                ))
            }
        }
    }
    version.ok_or_else(|| format!("{}: no `version = \"…\"` line", path.display()))
}

/// `release.toml`'s text with `version` set to `new` (comments kept).
pub fn with_release_version(text: &str, new: &str) -> String {
    let mut out: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("version") {
                format!("version = \"{new}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// The repository's own crate (`generated-client/`) from `specs` at `version`.
/// `runtime_sids`: the lock the runtime's SID types are generated from (the
/// names lock, as extended by this run).
pub fn default_crate_info(
    specs: &[PathBuf],
    version: &str,
    runtime_sids: codegen::NamesLock,
) -> codegen::CrateInfo {
    codegen::CrateInfo {
        name: DEFAULT_CRATE.to_string(),
        version: version.to_string(),
        description: DEFAULT_DESCRIPTION.to_string(),
        sources: codegen::source_names(specs),
        standalone: false,
        features: false,
        runtime: codegen::RuntimeSource::path(format!("../{RUNTIME_DIR}")),
        runtime_sids,
    }
}

struct GenerateArgs {
    check: bool,
    /// The names lock, and whether this run may add to it (only the
    /// default crate's run does; a standalone crate only reads it).
    lock: PathBuf,
    extend_lock: bool,
    specs: Vec<PathBuf>,
    out: PathBuf,
    info: codegen::CrateInfo,
}

fn parse_generate(args: &[String]) -> Result<GenerateArgs, String> {
    let mut check = false;
    let mut specs = vec![];
    let mut out = None;
    let mut name = None;
    let mut lock = None;
    let mut catalogue = None;
    let mut vendor = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--check" => check = true,
            "--spec" => specs.push(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => name = Some(value("--crate-name")?),
            "--names-lock" => lock = Some(PathBuf::from(value("--names-lock")?)),
            "--catalogue" => catalogue = Some(PathBuf::from(value("--catalogue")?)),
            "--vendor-runtime" => vendor = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if let Some(dir) = catalogue {
        let out = out.ok_or("--catalogue needs --out DIR too")?;
        // `--spec` beside it adds supplements (the Flex Teams spec).
        let mut specs = [specs_of(&dir)?, specs].concat();
        specs.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        let lock = lock.unwrap_or_else(names_lock);
        return Ok(GenerateArgs {
            check,
            extend_lock: true,
            info: catalogue_crate_info(
                &specs,
                name.unwrap_or_else(|| CATALOGUE_CRATE.to_string()),
                if vendor {
                    codegen::RuntimeSource::Vendored
                } else {
                    runtime_for(&out)
                },
                // The lock as it is; `generate` uses it as this run extends it.
                read_lock(&lock)?,
            ),
            lock,
            specs,
            out,
        });
    }
    let custom = !specs.is_empty();
    if custom && (out.is_none() || name.is_none()) {
        return Err("--spec needs --out DIR and --crate-name NAME too".into());
    }
    let specs = if custom { specs } else { default_specs()? };
    let version = if custom {
        "0.1.0".to_string()
    } else {
        release_version(&root())?
    };
    let description = if custom {
        format!(
            "Typed async client for Twilio APIs, generated from {}.",
            codegen::source_names(&specs).join(", ")
        )
    } else {
        DEFAULT_DESCRIPTION.to_string()
    };
    let out = out.unwrap_or_else(|| root().join("generated-client"));
    let mut info = if custom {
        codegen::CrateInfo {
            name: name.unwrap_or_else(|| DEFAULT_CRATE.to_string()),
            version,
            description,
            sources: codegen::source_names(&specs),
            standalone: true,
            features: false,
            runtime: runtime_for(&out),
            // The runtime in this repository has the repository lock's SID types.
            runtime_sids: read_lock(&names_lock())?,
        }
    } else {
        // The lock as it is; `generate` uses it as this run extends it.
        let lock = lock.clone().unwrap_or_else(names_lock);
        default_crate_info(&specs, &version, read_lock(&lock)?)
    };
    if vendor {
        info.runtime = codegen::RuntimeSource::Vendored;
    }
    Ok(GenerateArgs {
        check,
        lock: lock.unwrap_or_else(names_lock),
        extend_lock: !custom,
        specs,
        out,
        info,
    })
}

fn generate(args: &[String]) -> Result<(), String> {
    let a = parse_generate(args)?;
    // The default spec set is named relative to the root (headers and errors read
    // `specs/…`), so it is read from there; paths given with `--spec` and `--out`
    // are the caller's, relative to the current directory like any command's.
    if !a.info.standalone {
        std::env::set_current_dir(root()).map_err(|e| format!("{}: {e}", root().display()))?;
    }
    let lock = read_lock(&a.lock)?;
    let (files, extended, runtime_sids) = if a.extend_lock {
        // The runtime's SID types are the lock's as this run extends it. The
        // crate re-exports those it shares with the runtime, so when this run
        // adds SID types it is generated again with them; else the first
        // output already is that one (a second run would double the time).
        let mut info = a.info.clone();
        let (mut files, extended) =
            codegen::generate_with(&a.specs, &info, &lock).map_err(|e| e.to_string())?;
        if !extended.sids().eq(info.runtime_sids.sids()) {
            info.runtime_sids = extended.clone();
            files = codegen::generate_with(&a.specs, &info, &extended)
                .map_err(|e| e.to_string())?
                .0;
        }
        let sids = codegen::emit::runtime_sids_rs(&extended).map_err(|e| e.to_string())?;
        (files, extended, Some(sids))
    } else {
        let (files, extended) =
            codegen::generate_with(&a.specs, &a.info, &lock).map_err(|e| e.to_string())?;
        (files, extended, None)
    };
    let sids_path = root().join(codegen::emit::RUNTIME_SIDS_FILE);
    let sids_stale = match &runtime_sids {
        Some(text) => std::fs::read_to_string(&sids_path).ok().as_ref() != Some(text),
        None => false,
    };
    let added: Vec<String> = extended
        .added_to(&lock)
        .iter()
        .map(|(k, n)| format!("{k} -> {n}"))
        .collect();
    let lock_stale = a.extend_lock && !added.is_empty();
    if a.check {
        let stale = codegen::check(&a.out, &files).map_err(|e| e.to_string())?;
        if sids_stale {
            eprintln!("stale: {}", sids_path.display());
        }
        if stale.is_empty() && !lock_stale && !sids_stale {
            println!("{} is up to date ({} files)", a.out.display(), files.len());
            return Ok(());
        }
        for s in &stale {
            eprintln!("stale: {s}");
        }
        let mut what = vec![];
        if !stale.is_empty() {
            what.push(a.out.display().to_string());
        }
        if lock_stale {
            eprintln!("stale: {} lacks {}", a.lock.display(), added.join(", "));
            what.push(a.lock.display().to_string());
        }
        if sids_stale {
            what.push(sids_path.display().to_string());
        }
        return Err(format!(
            "{} stale: run `cargo xtask generate`",
            what.join(" and ") + if what.len() > 1 { " are" } else { " is" }
        ));
    }
    if lock_stale {
        // Only ever adds lines: every existing entry is kept as it is.
        std::fs::write(&a.lock, extended.to_text())
            .map_err(|e| format!("{}: {e}", a.lock.display()))?;
        println!("{}: added {}", a.lock.display(), added.join(", "));
    }
    if let (true, Some(text)) = (sids_stale, &runtime_sids) {
        std::fs::write(&sids_path, text).map_err(|e| format!("{}: {e}", sids_path.display()))?;
        println!("updated: {}", sids_path.display());
    }
    let changes = codegen::write(&a.out, &files).map_err(|e| e.to_string())?;
    for c in &changes {
        match c {
            codegen::Stale::Missing(p) => println!("created: {}", p.display()),
            codegen::Stale::Differs(p) => println!("updated: {}", p.display()),
            codegen::Stale::Orphan(p) => println!("deleted: {}", p.display()),
        }
    }
    println!(
        "{}: {} files, {} changed",
        a.out.display(),
        files.len(),
        changes.len()
    );
    Ok(())
}

/// `cargo xtask sid-names DIR…`: adds to the lock a name for every SID prefix
/// set that the specs in the directories use and it lacks. Names are chosen over
/// all the specs at once (each spec lowered on its own, the suggestions summed),
/// so the most used prefix gets a contested name (`ServiceSid`). A spec that does
/// not generate is reported and skipped.
fn seed_sid_names(dirs: &[String]) -> Result<(), String> {
    if dirs.is_empty() {
        return Err(USAGE.to_string());
    }
    let mut specs = vec![];
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{dir}: {e}"))?;
        specs.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml")),
        );
    }
    specs.sort();
    let mut candidates = codegen::names_lock::Candidates::new();
    for spec in &specs {
        let merged = codegen::load::load_file(spec)
            .and_then(|s| codegen::merge::merge(vec![s]))
            .and_then(|m| codegen::lower::sid_candidates(&m));
        match merged {
            Ok(found) => {
                for (key, names) in found {
                    let entry = candidates.entry(key).or_default();
                    for (name, n) in names {
                        *entry.entry(name).or_default() += n;
                    }
                }
            }
            Err(e) => eprintln!("skipped (does not generate): {e}"),
        }
    }
    let path = names_lock();
    let lock = read_lock(&path)?;
    let extended = lock.extended(&candidates);
    let added = extended.added_to(&lock).len();
    std::fs::write(&path, extended.to_text()).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "{}: {} prefix sets from {} specs, {added} added",
        path.display(),
        candidates.len(),
        specs.len()
    );
    Ok(())
}

/// Writes the merged spec set as one OpenAPI document (for the mock server).
fn merged_spec(args: &[String]) -> Result<(), String> {
    let (out, rest) = args.split_first().ok_or(USAGE)?;
    let specs: Vec<PathBuf> = rest
        .iter()
        .filter(|a| *a != "--spec")
        .map(PathBuf::from)
        .collect();
    let specs = if specs.is_empty() {
        default_specs()?.iter().map(|p| root().join(p)).collect()
    } else {
        specs
    };
    write_merged_spec(&specs, Path::new(out))
}

/// The merged `specs` as one document at `out` (relative paths: from the current
/// directory).
pub fn write_merged_spec(specs: &[PathBuf], out: &Path) -> Result<(), String> {
    let loaded = specs
        .iter()
        .map(|p| codegen::load::load_file(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let doc = codegen::merge::merged_document(&loaded).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}

#[cfg(test)]
mod tests {
    /// The committed `generated-client/` is exactly what the generator produces now.
    #[test]
    fn generated_client_is_fresh() {
        let a = super::parse_generate(&["--check".to_string()]).unwrap();
        let _cwd = std::env::set_current_dir(super::root());
        let lock = super::read_lock(&a.lock).unwrap();
        let (files, extended) = codegen::generate_with(&a.specs, &a.info, &lock).unwrap();
        assert_eq!(
            extended.added_to(&lock),
            vec![],
            "specs/names.lock lacks prefixes (run `cargo xtask generate`)"
        );
        let stale = codegen::check(&a.out, &files).unwrap();
        let listed: Vec<String> = stale.iter().map(ToString::to_string).collect();
        assert!(
            listed.is_empty(),
            "stale generated files (run `cargo xtask generate`):\n{}",
            listed.join("\n")
        );
        // The runtime's SID types are the lock's.
        let sids = std::fs::read_to_string(super::root().join(codegen::emit::RUNTIME_SIDS_FILE));
        assert_eq!(
            sids.ok(),
            Some(codegen::emit::runtime_sids_rs(&lock).unwrap()),
            "stale {} (run `cargo xtask generate`)",
            codegen::emit::RUNTIME_SIDS_FILE
        );
    }

    /// `--check` fails, naming the lock, when the default crate's specs use a
    /// SID prefix the lock lacks; it writes no lock. A standalone crate only
    /// reads the lock, so it never makes it stale.
    #[test]
    fn check_fails_when_the_lock_lacks_a_prefix() {
        let lock = std::env::temp_dir().join(format!("xtask-lock-{}", std::process::id()));
        let _ = std::fs::remove_file(&lock);
        let args = |extra: &[&str]| -> Vec<String> {
            ["--check", "--names-lock", lock.to_str().unwrap()]
                .iter()
                .chain(extra)
                .map(|s| s.to_string())
                .collect()
        };
        let err = super::generate(&args(&[])).unwrap_err();
        assert!(
            err.contains(&lock.display().to_string()) && err.contains("stale"),
            "{err}"
        );
        assert!(!lock.exists(), "--check wrote the lock");

        let out = std::env::temp_dir().join(format!("xtask-lock-out-{}", std::process::id()));
        let spec = super::root().join("specs/twilio_flex_v2.json");
        let standalone = [
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            "standalone",
        ];
        let mut write = args(&standalone);
        write.remove(0);
        super::generate(&write).unwrap();
        assert!(!lock.exists(), "a standalone crate wrote the lock");
        assert!(super::generate(&args(&standalone)).is_ok());
        let _ = std::fs::remove_dir_all(&out);
    }

    /// `release.toml`: one version line, kept as text when bumped.
    #[test]
    fn release_version_is_one_line() {
        let dir = std::env::temp_dir().join(format!("xtask-release-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(super::RELEASE_FILE);
        let text = "# the version\nversion = \"0.3.1\"\n";
        std::fs::write(&file, text).unwrap();
        assert_eq!(super::release_version(&dir).unwrap(), "0.3.1");
        assert_eq!(
            super::with_release_version(text, "0.4.0"),
            "# the version\nversion = \"0.4.0\"\n"
        );
        for bad in [
            "version = \"1.2\"\n",
            "version = \"1.0.0\"\nversion = \"1.0.1\"\n",
            "name = \"x\"\n",
            "# nothing\n",
        ] {
            std::fs::write(&file, bad).unwrap();
            let e = super::release_version(&dir).unwrap_err();
            assert!(e.contains("release.toml"), "{e}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
        // The repository's own, read by `cargo xtask generate`.
        assert!(super::release_version(&super::root()).is_ok());
    }

    /// `--check` against a directory that lacks the crate fails, names the
    /// missing files, and writes nothing.
    #[test]
    fn check_fails_on_a_stale_directory_and_writes_nothing() {
        let out = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).unwrap();
        let spec = super::root().join("specs/twilio_flex_v2.json");
        let args: Vec<String> = [
            "--check",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            "stale",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let err = super::generate(&args).unwrap_err();
        assert!(err.contains("is stale"), "{err}");
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            0,
            "--check wrote files"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
}
