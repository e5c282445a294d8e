//! Generates a typed async Rust client crate from Twilio's OpenAPI specs.
//!
//! The pipeline: [`load`] each spec file → [`merge`] them into one API → [`lower`]
//! to the [`ir`] → [`emit`] the crate's files. [`generate`] runs all of it, and
//! [`write`] / [`check`] apply the result to a directory. [`diff`] compares two
//! APIs for the review of a spec update.

pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod merge;
pub mod names;
pub mod names_lock;
mod output;

pub use emit::{CrateInfo, RuntimeSource};
pub use error::{Error, Result};
pub use names_lock::NamesLock;
pub use output::{check, write, Stale};

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Loads, merges and lowers `specs` to the IR.
pub fn api_from_files(specs: &[PathBuf]) -> Result<ir::Api> {
    api_from_texts(&read_specs(specs)?)
}

fn read_specs(specs: &[PathBuf]) -> Result<Vec<(PathBuf, String)>> {
    specs
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map(|text| (p.clone(), text))
                .map_err(|e| Error::new(p, "", format!("cannot read the spec file: {e}")))
        })
        .collect()
}

/// Like [`api_from_files`], for specs already read: each is a name (what errors
/// call the file, e.g. `main:specs/twilio_flex_v2.json`) and its text. SID types
/// are named as an empty lock would (see [`api_from_texts_with`]).
pub fn api_from_texts(specs: &[(PathBuf, String)]) -> Result<ir::Api> {
    api_from_texts_with(specs, &NamesLock::default()).map(|(api, _)| api)
}

/// Like [`api_from_texts`], with SID type names from `lock`; also returns the
/// lock extended with the prefix sets it lacked.
pub fn api_from_texts_with(
    specs: &[(PathBuf, String)],
    lock: &NamesLock,
) -> Result<(ir::Api, NamesLock)> {
    let mut loaded = vec![];
    let mut checks = vec![];
    for parsed in parse_all(specs) {
        let (spec, check) = parsed?;
        loaded.push(spec);
        checks.push(check);
    }
    // Whether the parser lost anything is checked on another thread while the
    // specs are merged and lowered; a loss is reported before any lowering error.
    std::thread::scope(|s| {
        let checked = s.spawn(|| checks.into_iter().try_for_each(load::LosslessCheck::run));
        let api = merge::merge(loaded).and_then(|merged| lower::lower_with(&merged, lock));
        checked
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        api
    })
}

/// Every spec parsed, in order. A whole catalogue is 55 documents: they are
/// parsed on as many threads as the machine offers (results in input order, so
/// the first error reported is the first spec's, whatever the scheduling).
fn parse_all(specs: &[(PathBuf, String)]) -> Vec<Result<(load::Spec, load::LosslessCheck)>> {
    par_map(specs, |(name, text)| load::parse_unchecked_text(name, text))
}

/// `f` of each item, on as many threads as the machine offers; the results in
/// `items`' order, so nothing downstream depends on scheduling. A panic in `f`
/// is resumed on the caller's thread.
pub(crate) fn par_map<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = vec![];
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break out };
                        out.push((i, f(item)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// Runs the whole pipeline: the generated crate's files, by relative path. SID
/// types are named as an empty lock would (see [`generate_with`]).
pub fn generate(specs: &[PathBuf], info: &CrateInfo) -> Result<BTreeMap<String, String>> {
    generate_with(specs, info, &NamesLock::default()).map(|(files, _)| files)
}

/// Like [`generate`], with SID type names from `lock`; also returns the lock
/// extended with the prefix sets it lacked (for the caller to save).
pub fn generate_with(
    specs: &[PathBuf],
    info: &CrateInfo,
    lock: &NamesLock,
) -> Result<(BTreeMap<String, String>, NamesLock)> {
    let (api, lock) = api_from_texts_with(&read_specs(specs)?, lock)?;
    Ok((emit::emit(&api, info)?, lock))
}

/// Like [`generate`], for specs already read (see [`api_from_texts`]).
pub fn generate_from_texts(
    specs: &[(PathBuf, String)],
    info: &CrateInfo,
) -> Result<BTreeMap<String, String>> {
    generate_from_texts_with(specs, info, &NamesLock::default()).map(|(files, _)| files)
}

/// Like [`generate_from_texts`], with SID type names from `lock`; also returns
/// the lock extended with the prefix sets it lacked.
pub fn generate_from_texts_with(
    specs: &[(PathBuf, String)],
    info: &CrateInfo,
    lock: &NamesLock,
) -> Result<(BTreeMap<String, String>, NamesLock)> {
    let (api, lock) = api_from_texts_with(specs, lock)?;
    Ok((emit::emit(&api, info)?, lock))
}

/// The file names of `specs`, as the generated header and README cite them.
pub fn source_names(specs: &[PathBuf]) -> Vec<String> {
    specs
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string())
        })
        .collect()
}
