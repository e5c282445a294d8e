//! Applying generated files to a directory: write them, delete generated files
//! that are no longer produced, or check that the directory is up to date.
//! Only files whose first line carries the `@generated` marker are ever deleted.

use crate::emit::GENERATED_MARKER;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One way the directory differs from a fresh generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// Would be created.
    Missing(PathBuf),
    /// Exists with other contents.
    Differs(PathBuf),
    /// A generated file the generator no longer produces.
    Orphan(PathBuf),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(p) => write!(f, "missing: {}", p.display()),
            Stale::Differs(p) => write!(f, "differs: {}", p.display()),
            Stale::Orphan(p) => write!(f, "no longer generated: {}", p.display()),
        }
    }
}

/// Every way `dir` differs from `files` (empty when up to date). Writes nothing.
pub fn check(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Stale>> {
    let mut stale = vec![];
    for (rel, text) in files {
        let path = dir.join(rel);
        match fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => stale.push(Stale::Differs(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => stale.push(Stale::Missing(path)),
            Err(e) => return Err(Error::new(&path, "", format!("cannot read: {e}"))),
        }
    }
    for path in generated_files(dir)? {
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !files.contains_key(&rel) {
            stale.push(Stale::Orphan(path));
        }
    }
    Ok(stale)
}

/// Writes `files` under `dir` (only those that changed) and deletes orphans.
/// Returns what changed.
pub fn write(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Stale>> {
    let changes = check(dir, files)?;
    for change in &changes {
        match change {
            Stale::Missing(path) | Stale::Differs(path) => {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|e| {
                        Error::new(parent, "", format!("cannot create directory: {e}"))
                    })?;
                }
                fs::write(path, &files[&rel])
                    .map_err(|e| Error::new(path, "", format!("cannot write: {e}")))?;
            }
            Stale::Orphan(path) => {
                fs::remove_file(path)
                    .map_err(|e| Error::new(path, "", format!("cannot delete: {e}")))?;
                remove_empty_parents(dir, path);
            }
        }
    }
    Ok(changes)
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Files under `dir` (skipping `target/`) whose first line has the generated marker.
fn generated_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::new(&d, "", format!("cannot list directory: {e}"))),
        };
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::new(&d, "", format!("cannot list directory: {e}")))?;
            let path = entry.path();
            let ft = entry
                .file_type()
                .map_err(|e| Error::new(&path, "", e.to_string()))?;
            if ft.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else if ft.is_file() && first_line_is_generated(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn first_line_is_generated(path: &Path) -> bool {
    use std::io::{BufRead, BufReader, Read};
    let Ok(f) = fs::File::open(path) else {
        return false;
    };
    let mut line = String::new();
    BufReader::new(f).take(4096).read_line(&mut line).is_ok() && line.contains(GENERATED_MARKER)
}
