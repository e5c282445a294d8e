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
//! - `format_enums`: the shared enum of each value set of a custom format.
//! - `methods`: the method of each operation (`flex_v1 POST /v1/FlexFlows/{Sid}`
//!   -> `update`). An operation is called by its verb unless another operation
//!   of its resource has that verb too (then by its whole operationId); the lock
//!   keeps the verb with the operation that had it first.
//! - `types`: the name of each generated model, by what it is generated from: a
//!   component schema (`flex_v1 twilio_flex_v1.json#flex.v1.flex_flow` ->
//!   `FlexFlow`) or the context an inline schema is named after (`flex_v1
//!   ListFlexFlowResponse`). Two schemas that want one name get it in an order
//!   (components first, then by file and name, or by lowering order) that a new
//!   schema could change; the lock keeps the name with the one that had it.
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
    /// `{version module} {METHOD} {path}` -> the operation's method (`update`).
    methods: BTreeMap<String, String>,
    /// `{version module} {owner}` -> model name: see [`type_key`].
    types: BTreeMap<String, String>,
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

/// The `methods` key of an operation (`flex_v1 POST /v1/FlexFlows/{Sid}`).
pub fn method_key(module: &str, method: &str, path: &str) -> String {
    format!("{module} {method} {path}")
}

/// The `types` key of a model in a version module: `owner` is
/// `{spec file name}#{component}` for a component schema, or the context name
/// an inline schema is named after (`ListFlexFlowResponse`).
pub fn type_key(module: &str, owner: &str) -> String {
    format!("{module} {owner}")
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
                    format!("expected a JSON object with `sids`, `resources`, `format_enums`, `methods` and `types`, each an object of names: {e}"),
                )
            })?;
        const SECTIONS: [&str; 5] = ["sids", "resources", "format_enums", "methods", "types"];
        if let Some(other) = top.keys().find(|k| !SECTIONS.contains(&k.as_str())) {
            return Err(Error::new(
                file,
                format!("/{other}"),
                "unknown section; expected `sids`, `resources`, `format_enums`, `methods` or `types`",
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
        let methods = names_section(
            file,
            "methods",
            top.remove("methods").unwrap_or_default(),
            |key, name| {
                if crate::names::snake(name) != name {
                    return Err("expected a snake_case method name");
                }
                match key.split(' ').collect::<Vec<_>>()[..] {
                    [_, _, path] if path.starts_with('/') => Ok(()),
                    _ => Err("expected `{version module} {METHOD} {path}` (`flex_v1 POST /v1/FlexFlows/{Sid}`)"),
                }
            },
        )?;
        let types = names_section(
            file,
            "types",
            top.remove("types").unwrap_or_default(),
            |key, name| {
                if camel(name) != name {
                    return Err("expected an UpperCamelCase type name");
                }
                match key.split_once(' ') {
                    Some((_, owner)) if !owner.is_empty() => Ok(()),
                    _ => Err("expected `{version module} {owner}` (`flex_v1 twilio_flex_v1.json#flex.v1.flex_flow`)"),
                }
            },
        )?;
        Ok(NamesLock {
            names,
            resources: res,
            format_enums,
            methods,
            types,
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
        // The later sections are written once they have an entry, so a lock of
        // a crate without them keeps the sections it had.
        let mut sections = vec![("sids", &self.names), ("resources", &self.resources)];
        for (name, map) in [
            ("format_enums", &self.format_enums),
            ("methods", &self.methods),
            ("types", &self.types),
        ] {
            if !map.is_empty() {
                sections.push((name, map));
            }
        }
        let last = sections.len() - 1;
        for (i, (name, map)) in sections.into_iter().enumerate() {
            section(&mut text, name, map, i == last);
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

    /// An operation's locked method name, by its `method_key`.
    pub fn method(&self, key: &str) -> Option<&str> {
        self.methods.get(key).map(String::as_str)
    }

    /// This lock with `names` (by `method_key`) added where it has none.
    pub fn with_methods(&self, names: impl IntoIterator<Item = (String, String)>) -> NamesLock {
        let mut out = self.clone();
        for (key, name) in names {
            out.methods.entry(key).or_insert(name);
        }
        out
    }

    /// A model's locked name, by its `type_key`.
    pub fn type_name(&self, key: &str) -> Option<&str> {
        self.types.get(key).map(String::as_str)
    }

    /// The locked model names: (type key, name).
    pub fn types(&self) -> impl Iterator<Item = (&str, &str)> {
        self.types.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The locked format enums: (format enum key, name).
    pub fn format_enums(&self) -> impl Iterator<Item = (&str, &str)> {
        self.format_enums
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// This lock with `names` (by `type_key`) added where it has none.
    pub fn with_types(&self, names: impl IntoIterator<Item = (String, String)>) -> NamesLock {
        let mut out = self.clone();
        for (key, name) in names {
            out.types.entry(key).or_insert(name);
        }
        out
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.names.get(key).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
            + self.resources.len()
            + self.format_enums.len()
            + self.methods.len()
            + self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries of `self` that `base` lacks (what an extension added): SID
    /// prefix sets, then resources, format enums, methods and types.
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
        let methods = self
            .methods
            .iter()
            .filter(|(k, _)| !base.methods.contains_key(*k));
        let types = self
            .types
            .iter()
            .filter(|(k, _)| !base.types.contains_key(*k));
        sids.chain(resources)
            .chain(enums)
            .chain(methods)
            .chain(types)
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

/// A section of names: each value a string that `check` accepts with its key
/// (or the reason it does not).
fn names_section(
    file: &Path,
    section: &str,
    entries: BTreeMap<String, serde_json::Value>,
    check: impl Fn(&str, &str) -> std::result::Result<(), &'static str>,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (key, value) in entries {
        let pointer = format!("/{section}/{}", key.replace('~', "~0").replace('/', "~1"));
        let Some(name) = value.as_str() else {
            return Err(Error::new(file, &pointer, "expected a name (a string)"));
        };
        check(&key, name).map_err(|why| Error::new(file, &pointer, why))?;
        out.insert(key, name.to_string());
    }
    Ok(out)
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
        let full = lock
            .with_methods([(
                method_key("test_v1", "POST", "/v1/Things/{Sid}"),
                "update".to_string(),
            )])
            .with_types([(
                type_key("test_v1", "test.json#test.v1.thing"),
                "Thing".to_string(),
            )]);
        let text = full.to_text();
        assert!(
            text.ends_with(
                "  \"types\": {\n    \"test_v1 test.json#test.v1.thing\": \"Thing\"\n  }\n}\n"
            ),
            "{text}"
        );
        assert_eq!(NamesLock::parse(Path::new("l"), &text).unwrap(), full);
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
            (
                r#"{"methods": {"v POST /v1/A": "Update"}}"#,
                "/methods/v POST ~1v1~1A",
                "snake_case",
            ),
            (
                r#"{"methods": {"v /v1/A": "update"}}"#,
                "/methods/v ~1v1~1A",
                "{version module} {METHOD} {path}",
            ),
            (
                r#"{"types": {"v Thing": "thing"}}"#,
                "/types/v Thing",
                "UpperCamelCase",
            ),
            (
                r#"{"types": {"v": "Thing"}}"#,
                "/types/v",
                "{version module} {owner}",
            ),
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
