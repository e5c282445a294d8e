//! The names lock: names that, once released, are part of the crate's API and
//! so must not change when later specs add operations, paths or whole products.
//! Two sections:
//!
//! - `sids`: the Rust type of each SID prefix set (`AC` -> `AccountSid`, `MM|SM`
//!   -> `MessageSid`). A name taken afresh from whichever parameter or field
//!   carries a prefix would change as specs come and go.
//! - `resources`: the module/accessor name of each path (`flex_v1
//!   /v1/Instances/{InstanceSid}/Teams` -> `teams`). A resource is called by its
//!   short name (mountName, className or last literal segment) unless another
//!   resource of its version has that name too; the lock keeps a released name
//!   when such a resource arrives later, so only the newcomer is qualified.
//!
//! The generator reads the lock, names what it lacks, and adds it; an entry is
//! never changed. The file (`specs/names.lock`) is JSON, keys sorted, one entry
//! per line, so that an update shows as added lines.

use crate::error::{Error, Result};
use crate::names::camel;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The SID types' and resources' names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamesLock {
    /// Prefix set (`FU`, `MM|SM`) -> type name (`FlexUserSid`).
    names: BTreeMap<String, String>,
    /// `{version module} {path template}` -> resource name (`teams`).
    resources: BTreeMap<String, String>,
    /// `{version module} {format} {values as JSON}` -> the shared enum of that
    /// custom format and value set (`HttpMethod`): see [`format_enum_key`].
    format_enums: BTreeMap<String, String>,
}

/// For each prefix set: the type names its carriers suggest (`team_sid` ->
/// `TeamSid`; a model's own `sid` -> `{Model}Sid`) and how often each is seen.
pub type Candidates = BTreeMap<String, BTreeMap<String, usize>>;

/// The `format_enums` key of one value set of a custom string format in a
/// version module (`api_v2010 http-method ["GET","POST"]`).
pub fn format_enum_key(module: &str, format: &str, values: &[String]) -> String {
    let values = serde_json::to_string(values).unwrap_or_default();
    format!("{module} {format} {values}")
}

/// The `resources` key of a path in a version module.
pub fn resource_key(module: &str, path: &str) -> String {
    format!("{module} {path}")
}

impl NamesLock {
    /// Reads a lock file; a missing file is an empty lock.
    pub fn read(path: &Path) -> Result<NamesLock> {
        match std::fs::read_to_string(path) {
            Ok(text) => NamesLock::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(NamesLock::default()),
            Err(e) => Err(Error::new(
                path,
                "",
                format!("cannot read the names lock: {e}"),
            )),
        }
    }

    /// Parses a lock's text; `file` names it in errors.
    pub fn parse(file: &Path, text: &str) -> Result<NamesLock> {
        let mut top: BTreeMap<String, BTreeMap<String, serde_json::Value>> =
            serde_json::from_str(text).map_err(|e| {
                Error::new(
                    file,
                    "",
                    format!("expected a JSON object with `sids`, `resources` and `format_enums`, each an object of names: {e}"),
                )
            })?;
        const SECTIONS: [&str; 3] = ["sids", "resources", "format_enums"];
        if let Some(other) = top.keys().find(|k| !SECTIONS.contains(&k.as_str())) {
            return Err(Error::new(
                file,
                format!("/{other}"),
                "unknown section; expected `sids`, `resources` or `format_enums`",
            ));
        }
        let sids = top.remove("sids").unwrap_or_default();
        let resources = top.remove("resources").unwrap_or_default();
        let mut names = BTreeMap::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (key, value) in sids {
            let pointer = format!("/sids/{key}");
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
        let mut res = BTreeMap::new();
        for (key, value) in resources {
            let pointer = format!("/resources/{}", key.replace('~', "~0").replace('/', "~1"));
            let name = value.as_str().filter(|n| crate::names::snake(n) == *n);
            let Some(name) = name else {
                return Err(Error::new(
                    file,
                    &pointer,
                    "expected a snake_case resource name",
                ));
            };
            if !key.contains(" /") {
                return Err(Error::new(
                    file,
                    &pointer,
                    "expected `{version module} {path}` (`flex_v1 /v1/Instances/{InstanceSid}/Teams`)",
                ));
            }
            res.insert(key, name.to_string());
        }
        let mut format_enums = BTreeMap::new();
        for (key, value) in top.remove("format_enums").unwrap_or_default() {
            let pointer = format!(
                "/format_enums/{}",
                key.replace('~', "~0").replace('/', "~1")
            );
            let Some(name) = value.as_str().filter(|n| camel(n) == *n) else {
                return Err(Error::new(
                    file,
                    &pointer,
                    "expected an UpperCamelCase type name",
                ));
            };
            if key.splitn(3, ' ').count() != 3 {
                return Err(Error::new(
                    file,
                    &pointer,
                    "expected `{version module} {format} {values as JSON}` (`api_v2010 http-method [\"GET\",\"POST\"]`)",
                ));
            }
            format_enums.insert(key, name.to_string());
        }
        Ok(NamesLock {
            names,
            resources: res,
            format_enums,
        })
    }

    /// The lock as written to its file: sorted, one entry per line.
    pub fn to_text(&self) -> String {
        fn section(text: &mut String, name: &str, map: &BTreeMap<String, String>, last: bool) {
            text.push_str(&format!("  {name:?}: {{\n"));
            let end = map.len().saturating_sub(1);
            for (i, (key, value)) in map.iter().enumerate() {
                let comma = if i == end { "" } else { "," };
                text.push_str(&format!("    {key:?}: {value:?}{comma}\n"));
            }
            text.push_str(if last { "  }\n" } else { "  },\n" });
        }
        let mut text = String::from("{\n");
        // The section is written once it has an entry, so a lock of a crate
        // without format enums keeps its two sections.
        let enums = !self.format_enums.is_empty();
        section(&mut text, "sids", &self.names, false);
        section(&mut text, "resources", &self.resources, !enums);
        if enums {
            section(&mut text, "format_enums", &self.format_enums, true);
        }
        text.push_str("}\n");
        text
    }

    /// The SID types: prefix set (`MM|SM`) and type name, sorted by prefix set.
    pub fn sids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// A resource's locked name, by its `resource_key`.
    pub fn resource(&self, key: &str) -> Option<&str> {
        self.resources.get(key).map(String::as_str)
    }

    /// This lock with `names` (by `resource_key`) added where it has none.
    pub fn with_resources(&self, names: impl IntoIterator<Item = (String, String)>) -> NamesLock {
        let mut out = self.clone();
        for (key, name) in names {
            out.resources.entry(key).or_insert(name);
        }
        out
    }

    /// A format enum's locked name, by its `format_enum_key`.
    pub fn format_enum(&self, key: &str) -> Option<&str> {
        self.format_enums.get(key).map(String::as_str)
    }

    /// This lock with `names` (by `format_enum_key`) added where it has none.
    pub fn with_format_enums(
        &self,
        names: impl IntoIterator<Item = (String, String)>,
    ) -> NamesLock {
        let mut out = self.clone();
        for (key, name) in names {
            out.format_enums.entry(key).or_insert(name);
        }
        out
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.names.get(key).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len() + self.resources.len() + self.format_enums.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries of `self` that `base` lacks (what an extension added): SID
    /// prefix sets, then resources, then format enums.
    pub fn added_to(&self, base: &NamesLock) -> Vec<(&str, &str)> {
        let sids = self
            .names
            .iter()
            .filter(|(k, _)| !base.names.contains_key(*k));
        let resources = self
            .resources
            .iter()
            .filter(|(k, _)| !base.resources.contains_key(*k));
        let enums = self
            .format_enums
            .iter()
            .filter(|(k, _)| !base.format_enums.contains_key(*k));
        sids.chain(resources)
            .chain(enums)
            .map(|(k, n)| (k.as_str(), n.as_str()))
            .collect()
    }

    /// This lock plus a name for every prefix set of `candidates` it lacks. The
    /// most seen suggestion wins (then the shorter, then the alphabetically
    /// first) unless another prefix set already has that name; prefix sets are
    /// named in order of how often their best suggestion is seen, so the most
    /// used one gets a contested name (`ServiceSid`). A set nothing suggests a
    /// free name for is named after its prefixes (`MmSmSid`).
    pub fn extended(&self, candidates: &Candidates) -> NamesLock {
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
        let lock = NamesLock::parse(Path::new("l"), r#"{"sids": {"QO": "TeamSid"}}"#).unwrap();
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
        let lock = NamesLock::default().extended(&candidates(&[
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
        let lock = NamesLock::default().extended(&candidates(&[
            ("QO", &[("TeamSid", 1)]),
            ("AC", &[("AccountSid", 1)]),
            ("MM|SM", &[("MessageSid", 1)]),
        ]));
        let lock = lock.with_resources([("test_v1 /v1/Things".to_string(), "things".to_string())]);
        let text = lock.to_text();
        assert_eq!(
            text,
            "{\n  \"sids\": {\n    \"AC\": \"AccountSid\",\n    \"MM|SM\": \"MessageSid\",\n    \"QO\": \"TeamSid\"\n  },\n  \"resources\": {\n    \"test_v1 /v1/Things\": \"things\"\n  }\n}\n"
        );
        assert_eq!(NamesLock::parse(Path::new("l"), &text).unwrap(), lock);
        let empty = NamesLock::default().to_text();
        assert_eq!(
            empty,
            "{\n  \"sids\": {\n  },\n  \"resources\": {\n  }\n}\n"
        );
        assert_eq!(
            NamesLock::parse(Path::new("l"), &empty).unwrap(),
            NamesLock::default()
        );
    }

    #[test]
    fn a_locked_resource_name_is_kept() {
        let lock = NamesLock::default()
            .with_resources([("v /v1/A".to_string(), "a".to_string())])
            .with_resources([
                ("v /v1/A".to_string(), "other".to_string()),
                ("v /v1/B".to_string(), "b".to_string()),
            ]);
        assert_eq!(lock.resource("v /v1/A"), Some("a"));
        assert_eq!(lock.resource("v /v1/B"), Some("b"));
    }

    #[test]
    fn bad_locks_are_errors_naming_the_entry() {
        for (text, pointer, says) in [
            (r#"{"sids": {"AC": 1}}"#, "/sids/AC", "expected a type name"),
            (
                r#"{"sids": {"SM|MM": "MessageSid"}}"#,
                "/sids/SM|MM",
                "sorted two-letter",
            ),
            (
                r#"{"sids": {"AC": "account_sid"}}"#,
                "/sids/AC",
                "UpperCamelCase",
            ),
            (
                r#"{"sids": {"AC": "Sid", "CA": "Sid"}}"#,
                "/sids/CA",
                "already names",
            ),
            (
                r#"{"resources": {"v /v1/A": "A"}}"#,
                "/resources/v ~1v1~1A",
                "snake_case",
            ),
            (
                r#"{"resources": {"/v1/A": "a"}}"#,
                "/resources/~1v1~1A",
                "version module",
            ),
            (r#"{"other": {}}"#, "/other", "unknown section"),
        ] {
            let e = NamesLock::parse(Path::new("specs/names.lock"), text)
                .unwrap_err()
                .to_string();
            assert!(e.contains(pointer) && e.contains(says), "{text}: {e}");
        }
        let e = NamesLock::parse(Path::new("l"), "[1]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected a JSON object"), "{e}");
    }
}
