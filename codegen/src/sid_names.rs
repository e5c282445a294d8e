//! The SID names lock: the Rust type each SID prefix set is called (`AC` ->
//! `AccountSid`, `MM|SM` -> `MessageSid`). A name taken afresh from whichever
//! parameter or field carries a prefix would change as operations and specs come
//! and go; the lock fixes it once. The generator reads the lock, names a prefix
//! set it lacks by the heuristic below, and adds it; an entry is never changed.
//!
//! The file (`specs/sid-names.lock`) is a JSON object, keys sorted, one entry per
//! line, so that an update shows as added lines.

use crate::error::{Error, Result};
use crate::names::camel;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Prefix set (`FU`, `MM|SM`) -> type name (`FlexUserSid`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SidNames {
    names: BTreeMap<String, String>,
}

/// For each prefix set: the type names its carriers suggest (`team_sid` ->
/// `TeamSid`; a model's own `sid` -> `{Model}Sid`) and how often each is seen.
pub type Candidates = BTreeMap<String, BTreeMap<String, usize>>;

impl SidNames {
    /// Reads a lock file; a missing file is an empty lock.
    pub fn read(path: &Path) -> Result<SidNames> {
        match std::fs::read_to_string(path) {
            Ok(text) => SidNames::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SidNames::default()),
            Err(e) => Err(Error::new(
                path,
                "",
                format!("cannot read the SID names lock: {e}"),
            )),
        }
    }

    /// Parses a lock's text; `file` names it in errors.
    pub fn parse(file: &Path, text: &str) -> Result<SidNames> {
        let map: BTreeMap<String, serde_json::Value> = serde_json::from_str(text).map_err(|e| {
            Error::new(
                file,
                "",
                format!("expected a JSON object of SID prefixes to type names: {e}"),
            )
        })?;
        let mut names = BTreeMap::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (key, value) in map {
            let pointer = format!("/{key}");
            let Some(name) = value.as_str() else {
                return Err(Error::new(
                    file,
                    &pointer,
                    "expected a type name (a string)",
                ));
            };
            if !is_prefix_key(&key) {
                return Err(Error::new(
                    file,
                    &pointer,
                    format!("expected sorted two-letter SID prefixes joined by `|` (`AC`, `MM|SM`), found `{key}`"),
                ));
            }
            if camel(name) != name {
                return Err(Error::new(
                    file,
                    &pointer,
                    format!("expected an UpperCamelCase type name, found `{name}`"),
                ));
            }
            if let Some(other) = seen.insert(name.to_string(), key.clone()) {
                return Err(Error::new(
                    file,
                    &pointer,
                    format!(
                        "`{name}` already names the prefixes `{other}`; each name must be unique"
                    ),
                ));
            }
            names.insert(key, name.to_string());
        }
        Ok(SidNames { names })
    }

    /// The lock as written to its file: sorted, one entry per line.
    pub fn to_text(&self) -> String {
        let mut text = String::from("{\n");
        let last = self.names.len().saturating_sub(1);
        for (i, (key, name)) in self.names.iter().enumerate() {
            let comma = if i == last { "" } else { "," };
            text.push_str(&format!("  {key:?}: {name:?}{comma}\n"));
        }
        text.push_str("}\n");
        text
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.names.get(key).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The entries of `self` that `base` lacks (what an extension added).
    pub fn added_to(&self, base: &SidNames) -> Vec<(&str, &str)> {
        self.names
            .iter()
            .filter(|(k, _)| !base.names.contains_key(*k))
            .map(|(k, n)| (k.as_str(), n.as_str()))
            .collect()
    }

    /// This lock plus a name for every prefix set of `candidates` it lacks. The
    /// most seen suggestion wins (then the shorter, then the alphabetically
    /// first) unless another prefix set already has that name; prefix sets are
    /// named in order of how often their best suggestion is seen, so the most
    /// used one gets a contested name (`ServiceSid`). A set nothing suggests a
    /// free name for is named after its prefixes (`MmSmSid`).
    pub fn extended(&self, candidates: &Candidates) -> SidNames {
        let mut used: BTreeSet<String> = self.names.values().cloned().collect();
        let mut new: Vec<(&String, Vec<(&String, usize)>)> = candidates
            .iter()
            .filter(|(key, _)| !self.names.contains_key(*key))
            .map(|(key, c)| {
                let mut ranked: Vec<(&String, usize)> = c.iter().map(|(n, k)| (n, *k)).collect();
                ranked.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then(a.0.len().cmp(&b.0.len()))
                        .then(a.0.cmp(b.0))
                });
                (key, ranked)
            })
            .collect();
        let best = |r: &[(&String, usize)]| r.first().map_or(0, |c| c.1);
        new.sort_by(|a, b| best(&b.1).cmp(&best(&a.1)).then(a.0.cmp(b.0)));
        let mut out = self.clone();
        for (key, ranked) in new {
            let name = ranked
                .iter()
                .map(|(n, _)| n.to_string())
                .find(|n| !used.contains(n))
                .unwrap_or_else(|| {
                    let base = format!("{}Sid", camel(&key.replace('|', "_")));
                    std::iter::once(base.clone())
                        .chain((2..).map(|n| format!("{base}{n}")))
                        .find(|n| !used.contains(n))
                        .expect("unbounded")
                });
            used.insert(name.clone());
            out.names.insert(key.clone(), name);
        }
        out
    }
}

/// `AC`, `MM|SM`: sorted, distinct two-letter uppercase prefixes.
fn is_prefix_key(key: &str) -> bool {
    let parts: Vec<&str> = key.split('|').collect();
    parts
        .iter()
        .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()))
        && parts.windows(2).all(|w| w[0] < w[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(entries: &[(&str, &[(&str, usize)])]) -> Candidates {
        entries
            .iter()
            .map(|(k, c)| {
                let c = c.iter().map(|(n, k)| (n.to_string(), *k)).collect();
                (k.to_string(), c)
            })
            .collect()
    }

    #[test]
    fn locked_names_are_never_changed() {
        let lock = SidNames::parse(Path::new("l"), r#"{"QO": "TeamSid"}"#).unwrap();
        let more = lock.extended(&candidates(&[
            ("QO", &[("FlexTeamSid", 9)]),
            ("FU", &[("FlexUserSid", 2)]),
        ]));
        assert_eq!(more.get("QO"), Some("TeamSid"));
        assert_eq!(more.get("FU"), Some("FlexUserSid"));
        assert_eq!(more.added_to(&lock), vec![("FU", "FlexUserSid")]);
    }

    #[test]
    fn the_most_used_prefix_gets_a_contested_name() {
        let lock = SidNames::default().extended(&candidates(&[
            ("IS", &[("ServiceSid", 3), ("ChatServiceSid", 1)]),
            ("MG", &[("ServiceSid", 5), ("MessagingServiceSid", 4)]),
            ("VA", &[("ServiceSid", 2)]),
            ("ZZ", &[]),
        ]));
        assert_eq!(lock.get("MG"), Some("ServiceSid"));
        assert_eq!(lock.get("IS"), Some("ChatServiceSid"));
        assert_eq!(lock.get("VA"), Some("VaSid"));
        assert_eq!(lock.get("ZZ"), Some("ZzSid"));
    }

    #[test]
    fn the_file_is_sorted_one_entry_per_line_and_round_trips() {
        let lock = SidNames::default().extended(&candidates(&[
            ("QO", &[("TeamSid", 1)]),
            ("AC", &[("AccountSid", 1)]),
            ("MM|SM", &[("MessageSid", 1)]),
        ]));
        let text = lock.to_text();
        assert_eq!(
            text,
            "{\n  \"AC\": \"AccountSid\",\n  \"MM|SM\": \"MessageSid\",\n  \"QO\": \"TeamSid\"\n}\n"
        );
        assert_eq!(SidNames::parse(Path::new("l"), &text).unwrap(), lock);
        assert_eq!(SidNames::default().to_text(), "{\n}\n");
    }

    #[test]
    fn bad_locks_are_errors_naming_the_entry() {
        for (text, pointer, says) in [
            (r#"{"AC": 1}"#, "/AC", "expected a type name"),
            (r#"{"SM|MM": "MessageSid"}"#, "/SM|MM", "sorted two-letter"),
            (r#"{"AC": "account_sid"}"#, "/AC", "UpperCamelCase"),
            (r#"{"AC": "Sid", "CA": "Sid"}"#, "/CA", "already names"),
        ] {
            let e = SidNames::parse(Path::new("specs/sid-names.lock"), text)
                .unwrap_err()
                .to_string();
            assert!(e.contains(pointer) && e.contains(says), "{text}: {e}");
        }
        let e = SidNames::parse(Path::new("l"), "[1]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected a JSON object"), "{e}");
    }
}
