//! `cargo xtask update`: the weekly spec drop, from Twilio's files to a crate
//! ready for `cargo publish`, in one step.
//!
//! 1. the new spec files are read (from paths, or by name from a `twilio-oai`
//!    checkout) and checked: the new spec set must load, merge and lower;
//! 2. the old and new spec sets are compared ([`codegen::diff`]) and the version in
//!    `release.toml` is bumped by the verdict (nothing to bump: no API change);
//! 3. the crate is generated from the new set, all in memory;
//! 4. then the files are written: `specs/` (byte for byte), `generated-client/`,
//!    `release.toml` and a `CHANGELOG.md` entry written from the report;
//! 5. `cargo package --no-verify` assembles the crate as `cargo publish` would
//!    (and updates `Cargo.lock`'s entry for the new version).
//!
//! A failure before step 4 writes nothing; a failure in steps 4 or 5 puts every
//! file it touched back as it was (each one's old bytes are kept until the end).
//! A second run with the same files finds `specs/` already identical and changes
//! nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage:
  cargo xtask update [--root DIR] SPEC.json...
  cargo xtask update [--root DIR] --from CHECKOUT NAME.json...
  SPEC.json: a new spec file, copied into specs/ under its file name.
  --from: a twilio-oai checkout (NAME is read from spec/json/NAME, else from CHECKOUT/NAME).
  --root: the repository to update (default: the one this xtask was built from).";

const CHANGELOG: &str = "CHANGELOG.md";
const CHANGELOG_TITLE: &str = "# Changelog\n\nReleases of the generated `twilio-flex` crate, newest first; each entry is written by `cargo xtask update` from the API diff.\n";

#[derive(Debug, PartialEq, Eq)]
struct Args {
    root: Option<PathBuf>,
    from: Option<PathBuf>,
    files: Vec<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        root: None,
        from: None,
        files: vec![],
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{flag} needs a directory\n{USAGE}"))
        };
        match arg.as_str() {
            "--root" => a.root = Some(value("--root")?),
            "--from" => a.from = Some(value("--from")?),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown argument `{flag}`\n{USAGE}"))
            }
            file => a.files.push(file.to_string()),
        }
    }
    if a.files.is_empty() {
        return Err(format!("no spec file given\n{USAGE}"));
    }
    Ok(a)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let a = parse(args)?;
    let root = a.root.clone().unwrap_or_else(crate::root);
    let root = root
        .canonicalize()
        .map_err(|e| format!("--root {}: {e}", root.display()))?;
    let sources = a
        .files
        .iter()
        .map(|f| source_path(a.from.as_deref(), f))
        .collect::<Result<Vec<_>, _>>()?;
    update(&root, &sources)
}

/// Where a named spec is: `CHECKOUT/spec/json/NAME` (twilio-oai's layout), else
/// `CHECKOUT/NAME`; without `--from`, the argument itself.
fn source_path(from: Option<&Path>, file: &str) -> Result<PathBuf, String> {
    let Some(dir) = from else {
        return Ok(PathBuf::from(file));
    };
    [dir.join("spec/json").join(file), dir.join(file)]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "`{file}` is neither in {}/spec/json nor in {}",
                dir.display(),
                dir.display()
            )
        })
}

/// One file the update writes, with what to put back if a later step fails.
struct Planned {
    path: PathBuf,
    /// `None`: delete it.
    new: Option<Vec<u8>>,
    /// `None`: it did not exist.
    old: Option<Vec<u8>>,
}

fn update(root: &Path, sources: &[PathBuf]) -> Result<(), String> {
    // 1. The new files, and the spec set they make.
    let mut incoming: Vec<(PathBuf, Vec<u8>)> = vec![];
    for src in sources {
        let name = src
            .file_name()
            .filter(|n| Path::new(n).extension().is_some_and(|x| x == "json"))
            .ok_or_else(|| format!("{}: expected a `*.json` spec file", src.display()))?;
        let dest = Path::new("specs").join(name);
        if incoming.iter().any(|(d, _)| *d == dest) {
            return Err(format!("two spec files named {}", name.to_string_lossy()));
        }
        let bytes = std::fs::read(src).map_err(|e| format!("{}: {e}", src.display()))?;
        incoming.push((dest, bytes));
    }
    let old_set = read_specs(root, &crate::specs_in(root)?)?;
    let mut new_set = old_set.clone();
    for (dest, bytes) in &incoming {
        let text = String::from_utf8(bytes.clone())
            .map_err(|e| format!("{}: the spec file is not UTF-8: {e}", dest.display()))?;
        match new_set.iter_mut().find(|(p, _)| p == dest) {
            Some(entry) => entry.1 = text,
            None => new_set.push((dest.clone(), text)),
        }
    }
    new_set.sort();
    if new_set == old_set {
        println!("specs/ already holds these files byte for byte: nothing to do");
        return Ok(());
    }

    // 2. What changed, and the version it calls for.
    // SID types named from the lock; prefixes the new specs bring are added to it.
    let lock_path = root.join(crate::NAMES_LOCK);
    let lock = crate::read_lock(&lock_path)?;
    let (old_api, old_lock) =
        codegen::api_from_texts_with(&old_set, &lock).map_err(|e| format!("specs/ now: {e}"))?;
    let (new_api, new_lock) = codegen::api_from_texts_with(&new_set, &old_lock).map_err(|e| {
        let from: Vec<String> = incoming
            .iter()
            .zip(sources)
            .map(|((dest, _), src)| format!("{} from {}", dest.display(), src.display()))
            .collect();
        format!("the new spec set ({}): {e}", from.join(", "))
    })?;
    let current = crate::release_version(root)?;
    let report = codegen::diff::diff(
        "specs/ (before)",
        &old_api,
        "specs/ (after)",
        &new_api,
        Some(&current),
    );
    let version = report
        .suggested_version
        .clone()
        .ok_or_else(|| format!("{}: cannot bump `{current}`", crate::RELEASE_FILE))?;

    // 3. The crate, in memory.
    let names: Vec<PathBuf> = new_set.iter().map(|(p, _)| p.clone()).collect();
    let info = crate::default_crate_info(&names, &version);
    let (files, _) =
        codegen::generate_from_texts_with(&new_set, &info, &new_lock).map_err(|e| e.to_string())?;

    // 4. Every file to write, with its current bytes.
    let mut plan: Vec<Planned> = vec![];
    let mut plan_file = |path: PathBuf, new: Option<Vec<u8>>| -> Result<(), String> {
        let old = match std::fs::read(&path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        if old != new {
            plan.push(Planned { path, new, old });
        }
        Ok(())
    };
    for (dest, bytes) in &incoming {
        plan_file(root.join(dest), Some(bytes.clone()))?;
    }
    if !new_lock.added_to(&lock).is_empty() {
        plan_file(lock_path.clone(), Some(new_lock.to_text().into_bytes()))?;
    }
    let out = root.join("generated-client");
    for stale in codegen::check(&out, &files).map_err(|e| e.to_string())? {
        match stale {
            codegen::Stale::Missing(p) | codegen::Stale::Differs(p) => {
                let rel = p
                    .strip_prefix(&out)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = files[&rel].clone().into_bytes();
                plan_file(p, Some(text))?;
            }
            codegen::Stale::Orphan(p) => plan_file(p, None)?,
        }
    }
    let bumped = version != current;
    if bumped {
        let release = root.join(crate::RELEASE_FILE);
        let text =
            std::fs::read_to_string(&release).map_err(|e| format!("{}: {e}", release.display()))?;
        plan_file(
            release,
            Some(crate::with_release_version(&text, &version).into_bytes()),
        )?;
        let changelog = root.join(CHANGELOG);
        let old = match std::fs::read_to_string(&changelog) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("{}: {e}", changelog.display())),
        };
        let sources: Vec<String> =
            codegen::source_names(&incoming.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>());
        let entry = report.to_changelog(&version, &sources);
        plan_file(changelog, Some(prepend_entry(&old, &entry).into_bytes()))?;
    }

    // `cargo package` rewrites the lock file's entry for the crate's new version.
    let lock = root.join("Cargo.lock");
    let lock_before = std::fs::read(&lock).ok();
    apply(&plan)?;
    // 5. The crate as `cargo publish` would upload it.
    if let Err(e) = package(root, &version) {
        restore(&plan);
        if let Some(bytes) = lock_before {
            if let Err(e) = std::fs::write(&lock, bytes) {
                eprintln!("error: could not restore {}: {e}", lock.display());
            }
        }
        return Err(format!("{e}\nevery file is back as it was"));
    }
    print!("{}", report.to_markdown());
    println!(
        "\n{} file(s) written; version {}",
        plan.len(),
        if bumped {
            format!("{current} -> {version}, CHANGELOG.md entry added")
        } else {
            format!("stays {current} (no API change), no CHANGELOG.md entry")
        }
    );
    Ok(())
}

fn read_specs(root: &Path, specs: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, String> {
    specs
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(root.join(p))
                .map_err(|e| format!("{}: {e}", p.display()))?;
            Ok((p.clone(), text))
        })
        .collect()
}

/// `CHANGELOG.md` with `entry` first under its title (the title is added if missing).
fn prepend_entry(changelog: &str, entry: &str) -> String {
    let body = changelog
        .strip_prefix(CHANGELOG_TITLE)
        .unwrap_or(changelog)
        .trim_start_matches('\n');
    let mut s = format!("{CHANGELOG_TITLE}\n{entry}");
    if !body.is_empty() {
        s.push('\n');
        s.push_str(body);
    }
    s
}

/// Writes the plan; on the first error puts back what was written.
fn apply(plan: &[Planned]) -> Result<(), String> {
    for (i, p) in plan.iter().enumerate() {
        let result = match &p.new {
            Some(bytes) => p
                .path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&p.path, bytes)),
            None => std::fs::remove_file(&p.path),
        };
        if let Err(e) = result {
            restore(&plan[..i]);
            return Err(format!(
                "{}: {e}\nevery file is back as it was",
                p.path.display()
            ));
        }
    }
    Ok(())
}

/// Puts every planned file back (best effort: report what could not be).
fn restore(plan: &[Planned]) {
    for p in plan.iter().rev() {
        let result = match &p.old {
            Some(bytes) => p
                .path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&p.path, bytes)),
            None => match std::fs::remove_file(&p.path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
        };
        if let Err(e) = result {
            eprintln!("error: could not restore {}: {e}", p.path.display());
        }
        if p.old.is_none() {
            // A directory created for a new generated module, now empty.
            if let Some(dir) = p.path.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

/// `cargo package --no-verify`: checks the manifest has what crates.io requires,
/// that every file it lists exists and that the dependencies resolve (offline,
/// from the local registry cache), and assembles the `.crate`. Building it is
/// left to `cargo xtask test`, which compiles, tests and documents the crate.
fn package(root: &Path, version: &str) -> Result<(), String> {
    println!("==> cargo package -p {} --no-verify", crate::DEFAULT_CRATE);
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args([
            "package",
            "--quiet",
            "--no-verify",
            "--allow-dirty",
            "--offline",
        ])
        // With the runtime crate it depends on (path + version, not yet on
        // crates.io): cargo resolves that dependency against the runtime
        // packaged beside it instead of the registry.
        .args(["-p", "twilio-runtime", "-p", crate::DEFAULT_CRATE])
        .output()
        .map_err(|e| format!("cargo package: cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo package failed:\n{}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        root.join(target)
    };
    let krate = target.join(format!("package/{}-{version}.crate", crate::DEFAULT_CRATE));
    if !krate.is_file() {
        return Err(format!("cargo package wrote no {}", krate.display()));
    }
    println!("    {}", krate.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments() {
        let a = parse(&args(&["--from", "oai", "a.json", "--root", "r", "b.json"])).unwrap();
        assert_eq!(a.from.as_deref(), Some(Path::new("oai")));
        assert_eq!(a.root.as_deref(), Some(Path::new("r")));
        assert_eq!(a.files, ["a.json", "b.json"]);
        assert!(parse(&args(&[])).unwrap_err().contains("no spec file"));
        assert!(parse(&args(&["--from"]))
            .unwrap_err()
            .contains("needs a directory"));
        assert!(parse(&args(&["--x", "a.json"]))
            .unwrap_err()
            .contains("unknown argument"));
    }

    #[test]
    fn entries_go_first_under_the_title() {
        let one = prepend_entry("", "## 0.1.1\n\nA.\n");
        assert_eq!(one, format!("{CHANGELOG_TITLE}\n## 0.1.1\n\nA.\n"));
        let two = prepend_entry(&one, "## 0.2.0\n\nB.\n");
        assert_eq!(
            two,
            format!("{CHANGELOG_TITLE}\n## 0.2.0\n\nB.\n\n## 0.1.1\n\nA.\n")
        );
    }
}
