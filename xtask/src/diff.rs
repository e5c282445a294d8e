//! `cargo xtask diff OLD NEW [--format markdown|json] [--fail-on breaking|major]`:
//! the API-change report for the review of a spec update.
//!
//! OLD and NEW are spec sets: a directory (every `*.json` in it, sorted), one file,
//! or `REV:PATH` read through git (`main:specs`; as in `git show`, PATH is relative
//! to the repository root unless it starts with `./`). Both go through the same
//! load → merge → lower; [`codegen::diff`] compares the two IRs.

use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str =
    "usage: cargo xtask diff OLD NEW [--format markdown|json] [--fail-on breaking|major]
  OLD, NEW: a spec directory, a spec file, or REV:PATH read through git (e.g. main:specs)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailOn {
    Breaking,
    Major,
}

#[derive(Debug)]
struct Args {
    old: String,
    new: String,
    format: Format,
    fail_on: Option<FailOn>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut sets = vec![];
    let mut format = Format::Markdown;
    let mut fail_on = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => {
                format = match it.next().map(String::as_str) {
                    Some("markdown") => Format::Markdown,
                    Some("json") => Format::Json,
                    other => {
                        return Err(format!(
                            "--format takes `markdown` or `json` (got {other:?})\n{USAGE}"
                        ))
                    }
                }
            }
            "--fail-on" => {
                fail_on = Some(match it.next().map(String::as_str) {
                    Some("breaking") => FailOn::Breaking,
                    Some("major") => FailOn::Major,
                    other => {
                        return Err(format!(
                            "--fail-on takes `breaking` or `major` (got {other:?})\n{USAGE}"
                        ))
                    }
                })
            }
            flag if flag.starts_with("--") => {
                return Err(format!("unknown argument `{flag}`\n{USAGE}"))
            }
            set => sets.push(set.to_string()),
        }
    }
    let [old, new] = <[String; 2]>::try_from(sets).map_err(|s| {
        format!(
            "expected two spec sets, OLD and NEW (got {})\n{USAGE}",
            s.len()
        )
    })?;
    Ok(Args {
        old,
        new,
        format,
        fail_on,
    })
}

pub fn run(args: &[String]) -> Result<(), String> {
    let a = parse(args)?;
    // SID types are named as a release would name them: OLD from the working
    // tree's lock (which only ever grows, so it names OLD's prefixes as OLD's
    // crate did), NEW from that lock plus what OLD added to it.
    let lock = crate::read_lock(&crate::names_lock())?;
    let (old, lock) = load("OLD", &a.old, &lock)?;
    let (new, _) = load("NEW", &a.new, &lock)?;
    let version = crate::release_version(&crate::root()).ok();
    let report = codegen::diff::diff(&a.old, &old, &a.new, &new, version.as_deref());
    match a.format {
        Format::Markdown => print!("{}", report.to_markdown()),
        Format::Json => print!("{}", report.to_json()),
    }
    use codegen::diff::{HttpImpact, RustImpact};
    match a.fail_on {
        Some(FailOn::Breaking) if report.http == HttpImpact::Breaking => {
            Err("breaking changes for HTTP callers (--fail-on breaking)".into())
        }
        Some(FailOn::Major) if report.rust == RustImpact::Major => {
            Err("major changes to the Rust crate (--fail-on major)".into())
        }
        _ => Ok(()),
    }
}

/// Reads and lowers one side with SID names from `lock`; every error names the
/// side and the file. Also returns the lock extended with the side's prefixes.
fn load(
    side: &str,
    arg: &str,
    lock: &codegen::NamesLock,
) -> Result<(codegen::ir::Api, codegen::NamesLock), String> {
    let specs = read_set(arg).map_err(|e| format!("{side} `{arg}`: {e}"))?;
    codegen::api_from_texts_with(&specs, lock).map_err(|e| format!("{side} `{arg}`: {e}"))
}

/// The specs of a set, each with the name errors call it by.
fn read_set(arg: &str) -> Result<Vec<(PathBuf, String)>, String> {
    let path = Path::new(arg);
    // An existing path wins over `REV:PATH` (a path may contain `:`).
    if !path.exists() {
        if let Some((rev, p)) = arg.split_once(':') {
            if !rev.is_empty() {
                return read_git(rev, p);
            }
        }
    }
    let files = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read the directory: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| codegen::load::is_spec_file(p))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err("no spec (*.json, *.yaml, *.yml) in this directory".into());
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f)
                .map_err(|e| format!("{}: cannot read the spec file: {e}", f.display()))?;
            Ok((f, text))
        })
        .collect()
}

/// `REV:PATH` through git: a tree gives its `*.json` entries, a blob itself.
fn read_git(rev: &str, path: &str) -> Result<Vec<(PathBuf, String)>, String> {
    git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|_| format!("unknown git revision `{rev}`"))?;
    let object = format!("{rev}:{path}");
    let kind = git(&["cat-file", "-t", &object])
        .map_err(|_| format!("`{path}` does not exist at revision `{rev}`"))?;
    let files: Vec<String> = match String::from_utf8_lossy(&kind).trim() {
        "blob" => vec![path.to_string()],
        "tree" => {
            let listing = git(&["ls-tree", "--name-only", &object])?;
            let mut names: Vec<String> = String::from_utf8_lossy(&listing)
                .lines()
                .filter(|n| codegen::load::is_spec_file(Path::new(n)))
                .map(|n| {
                    let dir = path.trim_end_matches('/');
                    if dir.is_empty() {
                        n.to_string()
                    } else {
                        format!("{dir}/{n}")
                    }
                })
                .collect();
            names.sort();
            if names.is_empty() {
                return Err(format!(
                    "no spec (*.json, *.yaml, *.yml) in `{path}` at revision `{rev}`"
                ));
            }
            names
        }
        other => {
            return Err(format!(
                "`{object}` is a git {other}, not a file or directory"
            ))
        }
    };
    files
        .into_iter()
        .map(|f| {
            let name = format!("{rev}:{f}");
            let bytes = git(&["show", &name])?;
            let text = String::from_utf8(bytes)
                .map_err(|e| format!("{name}: the spec file is not UTF-8: {e}"))?;
            Ok((PathBuf::from(name), text))
        })
        .collect()
}

/// Runs git in the current directory; stdout on success, stderr as the error.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments() {
        let a = parse(&args(&["a", "b", "--format", "json", "--fail-on", "major"])).unwrap();
        assert_eq!((a.old.as_str(), a.new.as_str()), ("a", "b"));
        assert_eq!((a.format, a.fail_on), (Format::Json, Some(FailOn::Major)));
        assert!(parse(&args(&["a"]))
            .unwrap_err()
            .contains("expected two spec sets"));
        assert!(parse(&args(&["a", "b", "--format", "xml"]))
            .unwrap_err()
            .contains("--format takes"));
        assert!(parse(&args(&["a", "b", "--fail-on"]))
            .unwrap_err()
            .contains("--fail-on takes"));
    }

    fn in_root<T>(f: impl FnOnce() -> T) -> T {
        // git and relative paths resolve from the repository root.
        let _ = std::env::set_current_dir(crate::root());
        f()
    }

    #[test]
    fn bad_input_names_the_side_and_the_file() {
        in_root(|| {
            let e = load(
                "OLD",
                "no-such-rev-xyz:specs",
                &codegen::NamesLock::default(),
            )
            .unwrap_err();
            assert!(
                e.starts_with(
                    "OLD `no-such-rev-xyz:specs`: unknown git revision `no-such-rev-xyz`"
                ),
                "{e}"
            );
            let e = load("NEW", "HEAD:no/such/dir", &codegen::NamesLock::default()).unwrap_err();
            assert!(
                e.contains(
                    "NEW `HEAD:no/such/dir`: `no/such/dir` does not exist at revision `HEAD`"
                ),
                "{e}"
            );
            let e = load("NEW", "no/such/file.json", &codegen::NamesLock::default()).unwrap_err();
            assert!(
                e.starts_with("NEW `no/such/file.json`: no/such/file.json: cannot read"),
                "{e}"
            );
            // An invalid spec: the error names the side, the file and the pointer.
            let bad =
                std::env::temp_dir().join(format!("xtask-diff-bad-{}.json", std::process::id()));
            std::fs::write(&bad, r#"{"openapi": "3.1.0"}"#).unwrap();
            let e = load("OLD", bad.to_str().unwrap(), &codegen::NamesLock::default()).unwrap_err();
            std::fs::remove_file(&bad).unwrap();
            assert!(e.starts_with("OLD `"), "{e}");
            assert!(
                e.contains(&format!(
                    "{}#/openapi: expected an OpenAPI 3.0.x",
                    bad.display()
                )),
                "{e}"
            );
        })
    }

    #[test]
    fn git_and_working_tree_sides_read_the_same_specs() {
        in_root(|| {
            // Both name their files; HEAD's are named through git.
            let head = read_set("HEAD:specs").unwrap();
            assert!(!head.is_empty());
            assert!(head
                .iter()
                .all(|(n, _)| n.to_string_lossy().starts_with("HEAD:specs/")));
            let one = read_set("HEAD:specs/twilio_flex_v2.json").unwrap();
            assert_eq!(one.len(), 1);
            assert!(read_set("specs")
                .unwrap()
                .iter()
                .any(|(n, _)| n.ends_with("twilio_flex_v2.json")));
        })
    }
}
