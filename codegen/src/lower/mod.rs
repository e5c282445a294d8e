//! Lower: the merged OpenAPI document becomes the IR. `$ref`s are resolved, every
//! Rust name is chosen here (deterministically), and every construct the generated
//! client could not honour is an error naming its file and JSON pointer.

mod pagination;
mod params;
mod schema;

use crate::error::{Error, Pointer, Result};
use crate::ir::{
    Api, Location, Method, Model, ModelKind, Operation, Param, Resource, Response, SidType,
    TokenEndpoint, Type, Version,
};
use crate::merge::{Located, Merged, MergedPath};
use crate::names::{camel, snake, unraw};
use crate::names_lock::{method_key, resource_key, NamesLock};
use openapiv3::{ReferenceOr, StatusCode};
use params::dedupe_rust_names;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Where a node is: its file and JSON pointer.
#[derive(Clone)]
struct At {
    file: PathBuf,
    ptr: Pointer,
}

impl At {
    fn push(&self, token: impl std::fmt::Display) -> At {
        At {
            file: self.file.clone(),
            ptr: self.ptr.push(token),
        }
    }
    fn error(&self, message: impl Into<String>) -> Error {
        self.ptr.error(&self.file, message)
    }
    fn of<T>(l: &Located<T>) -> At {
        At {
            file: l.file.clone(),
            ptr: l.pointer.clone(),
        }
    }
}

/// Lowers the merged API to the IR, naming every SID type as an empty SID names
/// lock would (see [`lower_with`]).
pub fn lower(merged: &Merged) -> Result<Api> {
    lower_with(merged, &NamesLock::default()).map(|(api, _)| api)
}

/// Lowers the merged API to the IR. SID types take their names from `lock`;
/// prefix sets it lacks are named by the lock's heuristic, and the lock with
/// them added is returned beside the IR.
pub fn lower_with(merged: &Merged, lock: &NamesLock) -> Result<(Api, NamesLock)> {
    lower_all(merged, lock).map(|(api, lock, _)| (api, lock))
}

/// What each SID prefix set's carriers suggest calling it, over the whole API
/// (to seed a lock from many specs: see [`NamesLock::extended`]).
pub fn sid_candidates(merged: &Merged) -> Result<crate::names_lock::Candidates> {
    lower_all(merged, &NamesLock::default()).map(|(_, _, c)| c)
}

fn lower_all<'a>(
    merged: &'a Merged,
    lock: &'a NamesLock,
) -> Result<(Api, NamesLock, crate::names_lock::Candidates)> {
    let mut l = Lowerer {
        merged,
        lock,
        type_owners: schema::locked_type_owners(lock),
        type_entries: vec![],
        models: BTreeMap::new(),
        named: BTreeMap::new(),
        reserved: BTreeMap::new(),
        sid_names: BTreeMap::new(),
        version_ids: BTreeMap::new(),
        file_modules: BTreeMap::new(),
        inlining: BTreeSet::new(),
        format_enums: BTreeMap::new(),
        referenced: Default::default(),
    };
    check_ref_siblings(merged)?;
    // Every version module is known before any schema is named, so where a
    // component's type goes (`flex.v1.…` -> `flex_v1`) does not depend on
    // which path happened to reference it first.
    for ((path, _), mp) in &merged.paths {
        let (module, ids) = path_module(path, mp)?;
        l.file_modules
            .entry(mp.item.file.clone())
            .or_default()
            .insert(module.clone());
        l.version_ids.insert(module, ids);
    }
    l.reserve_component_names();
    let mut resources: BTreeMap<(String, String), Vec<PendingResource>> = BTreeMap::new();
    for ((path, _), mp) in &merged.paths {
        l.lower_path(path, mp, &mut resources)?;
    }
    let (format_enum_names, format_enum_entries) = l.name_format_enums(lock);
    let mut versions: BTreeMap<String, Version> = BTreeMap::new();
    let mut named_resources = vec![];
    let mut named_methods = vec![];
    for (module, pending) in name_resources(resources, lock) {
        let version = versions
            .entry(module.clone())
            .or_insert_with(|| l.version_shell(&module));
        for (name, pending) in pending {
            named_resources.extend(
                pending
                    .paths
                    .iter()
                    .map(|p| (resource_key(&module, p), name.clone())),
            );
            let (resource, methods) = pending.finish(name, &module, lock)?;
            named_methods.extend(methods);
            version.resources.push(resource);
        }
    }
    for (module, models) in std::mem::take(&mut l.models) {
        let version = versions
            .entry(module.clone())
            .or_insert_with(|| l.version_shell(&module));
        version.models = models.into_values().collect();
    }
    let lock = lock
        .extended(&l.sid_names)
        .with_resources(named_resources)
        .with_format_enums(format_enum_entries)
        .with_methods(named_methods)
        .with_types(std::mem::take(&mut l.type_entries));
    let sids = l.name_sids(&lock);
    let mut versions: Vec<Version> = versions.into_values().collect();
    for v in &mut versions {
        rename_types(v, &sids, &format_enum_names);
    }
    box_recursive_fields(&mut versions);
    for v in &mut versions {
        v.resources.sort();
    }
    let mut sid_types: Vec<SidType> = sids
        .into_iter()
        .map(|(key, (name, what))| SidType {
            name,
            what,
            prefixes: key.split('|').map(String::from).collect(),
        })
        .collect();
    sid_types.sort();
    let referenced = l.referenced.take();
    let unused_schemas: BTreeSet<String> = merged
        .components
        .schemas
        .keys()
        .filter(|k| !referenced.contains(*k))
        .map(|(_, name)| name.clone())
        .collect();
    Ok((
        Api {
            sids: sid_types,
            versions,
            unused_schemas: unused_schemas.into_iter().collect(),
        },
        lock,
        l.sid_names,
    ))
}

struct Lowerer<'a> {
    merged: &'a Merged,
    /// The names lock this generation starts from.
    lock: &'a NamesLock,
    /// Model names the lock holds, by (module, name): whose they are (a
    /// `type_key` owner, or a format enum's key).
    type_owners: BTreeMap<(String, String), String>,
    /// Model names given in this generation, by `type_key` (for the lock).
    type_entries: Vec<(String, String)>,
    /// Generated types per version module, by type name.
    models: BTreeMap<String, BTreeMap<String, Model>>,
    /// Component schemas (by file and name) already given a named type.
    named: BTreeMap<crate::merge::ComponentKey, Type>,
    /// Type names of component schemas, by (module, name), reserved before
    /// lowering (see `reserve_component_names`).
    reserved: BTreeMap<(String, String), crate::merge::ComponentKey>,
    /// For each SID prefix set (`FU`, `MM|SM`): candidate type names and how often seen.
    sid_names: BTreeMap<String, BTreeMap<String, usize>>,
    /// Version module -> (domain, version).
    version_ids: BTreeMap<String, (String, String)>,
    /// Spec file -> the version modules its paths are in.
    file_modules: BTreeMap<PathBuf, BTreeSet<String>>,
    /// Components being lowered inline right now (to detect self-reference).
    inlining: BTreeSet<crate::merge::ComponentKey>,
    /// Shared enums of custom string formats, by (module, format, values).
    format_enums: BTreeMap<(String, String, Vec<String>), schema::FormatEnum>,
    /// Component schemas some `$ref` reached while lowering (the rest are unused).
    referenced: std::cell::RefCell<BTreeSet<crate::merge::ComponentKey>>,
}

/// A resource being assembled from one or more paths (list and instance).
struct PendingResource {
    /// The short name qualified by the literal segments above it.
    full_name: String,
    /// Its path templates (list and instance), the keys of the names lock.
    paths: Vec<String>,
    params: Vec<Param>,
    /// Set when every path of the resource has this account parameter.
    client_account: Option<String>,
    docs: Vec<String>,
    operations: Vec<Operation>,
    at: At,
}

impl PendingResource {
    /// The resource called `name` in version module `version`, and its operations' method
    /// names by `method_key` (for the names lock).
    fn finish(
        mut self,
        name: String,
        version: &str,
        lock: &NamesLock,
    ) -> Result<(Resource, Vec<(String, String)>)> {
        // Method names: the name in the lock, else the operationId's verb
        // (`FetchFlexUser` -> `fetch`) unless another operation of this resource
        // has that verb or holds it in the lock; then the whole operationId. So
        // a verb, once released, stays with its operation when a second one
        // arrives; without a lock, two operations of one verb are both qualified.
        let key = |op: &Operation| method_key(version, op.method.as_str(), &op.path);
        let locked: Vec<Option<String>> = self
            .operations
            .iter()
            .map(|op| lock.method(&key(op)).map(String::from))
            .collect();
        let taken: BTreeSet<&String> = locked.iter().flatten().collect();
        let mut verbs: BTreeMap<String, usize> = BTreeMap::new();
        for (op, l) in self.operations.iter().zip(&locked) {
            if l.is_none() {
                *verbs.entry(op.fn_name.clone()).or_default() += 1;
            }
        }
        let mut names = vec![];
        for (op, l) in self.operations.iter_mut().zip(&locked) {
            match l {
                Some(l) => op.fn_name = l.clone(),
                None if verbs[&op.fn_name] > 1 || taken.contains(&op.fn_name) => {
                    op.fn_name = snake(&op.id)
                }
                None => {}
            }
            names.push((key(op), op.fn_name.clone()));
        }
        let mut seen = BTreeSet::new();
        for op in &self.operations {
            if !seen.insert(op.fn_name.clone()) {
                return Err(self.at.error(format!(
                    "two operations of resource `{name}` would both be the method `{}` (one is `{}`)",
                    op.fn_name, op.id
                )));
            }
        }
        self.operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
        if self.client_account.is_some() {
            if let Some(op) = self.operations.iter().find(|o| o.fn_name == FOR_ACCOUNT) {
                return Err(self.at.error(format!(
                    "operation `{}` of resource `{name}` would be the method `{FOR_ACCOUNT}`, which addresses another account",
                    op.id
                )));
            }
        }
        // `FlexUserResource`, not `FlexUser`: the model a resource returns is
        // usually named after it too (`models::FlexUser`), and two public types
        // of one name in neighbouring modules read as one.
        let type_name = format!("{}Resource", camel(unraw(&name)));
        for op in &mut self.operations {
            if op.builder == type_name {
                op.builder = format!("{}Request", op.builder);
            }
        }
        // Module names the generated code already uses beside resources.
        let module = if ["models", "sids", "runtime", "mod"].contains(&unraw(&name)) {
            format!("{name}_resource")
        } else {
            name
        };
        let resource = Resource {
            name: module,
            type_name,
            doc: self.docs.join("\n\n"),
            params: self.params,
            client_account: self.client_account,
            operations: self.operations,
        };
        Ok((resource, names))
    }
}

/// Names each version's resources. A resource with an entry in `lock` (any of
/// its paths) keeps that name. Any other is called by its short name unless
/// another resource of its version has that short name or holds it in the lock;
/// then by its fully qualified name (`services_roles`), numbered in path order
/// if even that is taken. So a name, once in the lock, survives every resource
/// added beside it; without a lock, two resources that share a short name are
/// both qualified.
fn name_resources(
    groups: BTreeMap<(String, String), Vec<PendingResource>>,
    lock: &NamesLock,
) -> BTreeMap<String, Vec<(String, PendingResource)>> {
    let mut by_module: BTreeMap<String, Vec<(String, PendingResource)>> = BTreeMap::new();
    for ((module, short), group) in groups {
        by_module
            .entry(module)
            .or_default()
            .extend(group.into_iter().map(|p| (short.clone(), p)));
    }
    let mut out = BTreeMap::new();
    for (module, pending) in by_module {
        let locked = |p: &PendingResource| {
            p.paths
                .iter()
                .find_map(|path| lock.resource(&resource_key(&module, path)))
                .map(String::from)
        };
        let mut chosen: Vec<Option<String>> = pending.iter().map(|(_, p)| locked(p)).collect();
        let mut taken: BTreeSet<String> = chosen.iter().flatten().cloned().collect();
        let mut shorts: BTreeMap<&str, usize> = BTreeMap::new();
        for ((short, _), c) in pending.iter().zip(&chosen) {
            if c.is_none() {
                *shorts.entry(short.as_str()).or_default() += 1;
            }
        }
        for (i, (short, p)) in pending.iter().enumerate() {
            if chosen[i].is_some() {
                continue;
            }
            let base = if shorts[short.as_str()] == 1 && !taken.contains(short) {
                short.clone()
            } else {
                p.full_name.clone()
            };
            let name = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}_{n}")))
                .find(|n| !taken.contains(n))
                .expect("unbounded");
            taken.insert(name.clone());
            chosen[i] = Some(name);
        }
        let named = chosen
            .into_iter()
            .zip(pending)
            .map(|(name, (_, p))| (name.expect("every resource is named above"), p))
            .collect();
        out.insert(module, named);
    }
    out
}

/// The resource method that addresses another account than the client's.
pub const FOR_ACCOUNT: &str = "for_account";

/// The account parameter of `path` when it is the `{AccountSid}` right after an
/// `Accounts` segment (api_v2010's `/2010-04-01/Accounts/{AccountSid}/Calls.json`)
/// and an accessor parameter taken as a SID or text: the client's account SID
/// can stand in for it.
fn client_account(path: &str, accessor: &[Param]) -> Option<String> {
    const ACCOUNTS: &str = "Accounts";
    const ACCOUNT_SID: &str = "AccountSid";
    let segs: Vec<&str> = path.split('/').collect();
    let placeholder = format!("{{{ACCOUNT_SID}}}");
    if !segs
        .windows(2)
        .any(|w| w[0] == ACCOUNTS && w[1] == placeholder)
    {
        return None;
    }
    accessor
        .iter()
        .find(|p| {
            p.wire_name == ACCOUNT_SID
                && p.location == Location::Path
                && matches!(p.ty, Type::Sid(_) | Type::String)
        })
        .map(|p| p.wire_name.clone())
}

/// One segment of a path template.
enum Segment<'p> {
    Literal(&'p str),
    /// `{Name}`, possibly followed by a literal suffix (`{Sid}.json`).
    Param {
        name: &'p str,
    },
}

fn segments<'p>(path: &'p str, at: &At) -> Result<Vec<Segment<'p>>> {
    let segs: Vec<Segment<'p>> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if let Some(rest) = s.strip_prefix('{') {
                let (name, suffix) = rest
                    .split_once('}')
                    .ok_or_else(|| at.error(format!("unclosed `{{` in path segment `{s}`")))?;
                if name.is_empty() || suffix.contains('{') {
                    return Err(at.error(format!(
                        "unsupported path segment `{s}`: expected one `{{Name}}` per segment"
                    )));
                }
                Ok(Segment::Param { name })
            } else if s.contains('{') || s.contains('}') {
                Err(at.error(format!(
                    "unsupported path segment `{s}`: a parameter must start its segment"
                )))
            } else {
                Ok(Segment::Literal(s))
            }
        })
        .collect::<Result<_>>()?;
    let mut seen = BTreeSet::new();
    for s in &segs {
        if let Segment::Param { name } = s {
            if !seen.insert(*name) {
                return Err(at.error(format!("path placeholder `{{{name}}}` appears twice")));
            }
        }
    }
    Ok(segs)
}

/// The version module a path belongs to (`flex_v1`), with its domain and version.
/// A path that does not start with a version (`/HostedNumbers/…` on
/// `preview.twilio.com`) belongs to its domain's unversioned module.
fn path_module(path: &str, mp: &MergedPath) -> Result<(String, (String, String))> {
    let at = At::of(&mp.item);
    let segs = segments(path, &at)?;
    let Some(Segment::Literal(first)) = segs.first() else {
        return Err(at.error("expected the path to start with a version segment such as `/v1`"));
    };
    let version = version_name(first).unwrap_or_default();
    let server = server_url(&mp.servers.item, &At::of(&mp.servers))?;
    let domain = domain_name(&server).ok_or_else(|| {
        At::of(&mp.servers).push(0).push("url").error(format!(
            "expected an absolute server URL such as `https://flex-api.twilio.com`, found `{server}`"
        ))
    })?;
    let module = if version.is_empty() {
        snake(&domain)
    } else {
        snake(&format!("{domain}_{version}"))
    };
    Ok((module, (domain, version)))
}

/// The literal segments of `segs` after the version (`Calls` in
/// `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}`: `["Accounts", "Calls"]`).
fn parent_literals<'p>(segs: &[Segment<'p>]) -> Vec<&'p str> {
    segs.get(1..)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| match s {
            Segment::Literal(l) => Some(l.trim_end_matches(".json")),
            Segment::Param { .. } => None,
        })
        .collect()
}

/// `["IncomingPhoneNumbers"]`, `Local` -> `incoming_phone_numbers_local`.
fn qualified(parents: &[&str], own: &str) -> String {
    let words: Vec<String> = parents
        .iter()
        .chain([&own])
        .map(|w| unraw(&snake(w)).to_string())
        .collect();
    snake(&words.join("_"))
}

/// `v2` stays `v2`; a dated version such as `2010-04-01` becomes `v2010`, as Twilio names it.
fn version_name(segment: &str) -> Option<String> {
    let lower = segment.to_ascii_lowercase();
    if lower.len() > 1
        && lower.starts_with('v')
        && lower[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return Some(lower.replace('.', "_"));
    }
    let year: String = segment.chars().take_while(|c| c.is_ascii_digit()).collect();
    (!year.is_empty()).then(|| format!("v{year}"))
}

/// `https://flex-api.twilio.com` -> `flex`; `https://api.twilio.com` -> `api`.
fn domain_name(server: &str) -> Option<String> {
    let host = server.split("://").nth(1)?.split(['/', ':']).next()?;
    let first = host.split('.').next()?;
    let name = first.strip_suffix("-api").unwrap_or(first);
    (!name.is_empty()).then(|| name.to_string())
}

/// The first server's URL; server variables are not supported.
fn server_url(servers: &[openapiv3::Server], at: &At) -> Result<String> {
    let first = servers.first().ok_or_else(|| {
        at.error("no `servers` entry applies to this path (neither its own nor the document's); expected the API's base URL")
    })?;
    if first.variables.as_ref().is_some_and(|v| !v.is_empty()) {
        return Err(at
            .push(0)
            .push("variables")
            .error("unsupported construct: server `variables`; expected a literal URL"));
    }
    Ok(first.url.clone())
}

fn base_url(server: &str) -> String {
    server.trim_end_matches('/').to_string()
}

fn extension_str<'e>(
    ext: &'e indexmap::IndexMap<String, serde_json::Value>,
    key: &str,
) -> Option<&'e str> {
    ext.get("x-twilio")?.get(key)?.as_str()
}

impl<'a> Lowerer<'a> {
    pub(super) fn version_shell(&self, module: &str) -> Version {
        let (domain, version) = self.version_ids.get(module).cloned().unwrap_or_default();
        Version {
            module: module.to_string(),
            type_name: camel(module),
            domain,
            version,
            resources: vec![],
            models: vec![],
        }
    }

    pub(super) fn lower_path(
        &mut self,
        path: &str,
        mp: &MergedPath,
        resources: &mut BTreeMap<(String, String), Vec<PendingResource>>,
    ) -> Result<()> {
        let at = At::of(&mp.item);
        let item = &mp.item.item;
        let segs = segments(path, &at)?;
        let Some(Segment::Literal(first)) = segs.first() else {
            return Err(at.error("expected the path to start with a version segment such as `/v1`"));
        };
        let server = server_url(&mp.servers.item, &At::of(&mp.servers))?;
        let (module, _) = path_module(path, mp)?;

        // Resource name: the x-twilio mountName, else className, else the last
        // literal segment (`teams`); `full_name` qualifies it by every literal
        // segment above it (`services_roles`), for a resource whose short name
        // another resource of its version has (see `name_resources`).
        let ext = &item.extensions;
        let own = segs
            .iter()
            .rposition(|s| matches!(s, Segment::Literal(_)))
            .unwrap_or(0);
        let twilio_name =
            extension_str(ext, "mountName").or_else(|| extension_str(ext, "className"));
        let own_name = match (twilio_name, &segs[own]) {
            (Some(n), _) => n,
            (None, Segment::Literal(l)) if own > 0 => l.trim_end_matches(".json"),
            // Only the version segment: the version's own operations.
            _ => first,
        };
        let name = snake(own_name);
        let full_name = if own > 0 {
            qualified(&parent_literals(&segs[..own]), own_name)
        } else {
            name.clone()
        };
        let ends_in_param = matches!(segs.last(), Some(Segment::Param { .. }));
        let is_instance = match extension_str(ext, "pathType") {
            Some("instance") => true,
            Some("list") => false,
            Some(other) => {
                return Err(at
                    .push("x-twilio")
                    .push("pathType")
                    .error(format!("expected `list` or `instance`, found `{other}`")))
            }
            None => ends_in_param,
        };
        let template_params: Vec<&str> = segs
            .iter()
            .filter_map(|s| match s {
                Segment::Param { name, .. } => Some(*name),
                _ => None,
            })
            .collect();
        // The instance's own identifier is an argument of its operations; the parent
        // path's parameters are arguments of the resource accessor.
        let own_param = if is_instance && ends_in_param {
            template_params.last().copied()
        } else {
            None
        };

        let methods = [
            ("get", Method::Get, &item.get),
            ("post", Method::Post, &item.post),
            ("put", Method::Put, &item.put),
            ("patch", Method::Patch, &item.patch),
            ("delete", Method::Delete, &item.delete),
        ];
        for (token, _, op) in [
            ("head", (), &item.head),
            ("options", (), &item.options),
            ("trace", (), &item.trace),
        ] {
            if op.is_some() {
                return Err(at.push(token).error(format!("unsupported construct: `{token}` operation; expected get, post, put, patch or delete")));
            }
        }
        // Each operation's view of the accessor's parameters, reconciled below.
        let mut op_accessors: Vec<(Vec<Param>, At)> = vec![];
        let mut ops = vec![];
        for (token, method, op) in methods {
            let Some(op) = op else { continue };
            let op_at = at.push(token);
            let id = match &op.operation_id {
                Some(id) => id.clone(),
                None => derived_operation_id(method, is_instance, &segs),
            };
            let builder = camel(&id);
            let mut params = self.lower_params(
                &module,
                &builder,
                &item.parameters,
                &op.parameters,
                &at,
                &op_at,
            )?;
            // Every template placeholder needs a path parameter, and vice versa.
            for p in &template_params {
                if !params
                    .iter()
                    .any(|q| q.location == Location::Path && q.wire_name == *p)
                {
                    return Err(op_at.push("parameters").error(format!(
                        "path placeholder `{{{p}}}` has no `in: path` parameter"
                    )));
                }
            }
            if let Some(q) = params.iter().find(|q| {
                q.location == Location::Path && !template_params.contains(&q.wire_name.as_str())
            }) {
                return Err(op_at.push("parameters").error(format!(
                    "path parameter `{}` does not appear in the path",
                    q.wire_name
                )));
            }
            let (body, body_params) = self.lower_body(&module, &builder, op, &op_at)?;
            params.extend(body_params);
            let mut response = self.lower_response(&module, &builder, op, &op_at)?;
            response.pagination =
                self.pagination(method, response.body.as_ref(), &params, &op_at)?;
            // Path parameters in template order; the accessor takes all but `own_param`.
            let mut path_params: Vec<Param> = vec![];
            for p in &template_params {
                let pos = params
                    .iter()
                    .position(|q| q.location == Location::Path && q.wire_name == *p)
                    .expect("checked above");
                path_params.push(params.remove(pos));
            }
            let (mine, accessor): (Vec<Param>, Vec<Param>) = path_params
                .into_iter()
                .partition(|p| Some(p.wire_name.as_str()) == own_param);
            let (required, optional): (Vec<Param>, Vec<Param>) =
                params.into_iter().partition(|p| p.required);
            let mut params: Vec<Param> = mine.into_iter().chain(required).chain(optional).collect();
            // Every operation of a path has the same placeholders, so the same names.
            dedupe_rust_names(&accessor, &mut params);
            op_accessors.push((accessor, op_at.push("parameters")));
            let verb = snake(&id).split('_').next().unwrap_or_default().to_string();
            // `MoveCall` -> `move` must still be escaped as a keyword.
            let fn_name = if verb.is_empty() {
                snake(token)
            } else {
                snake(&verb)
            };
            let doc = [op.description.as_deref(), op.summary.as_deref()]
                .into_iter()
                .flatten()
                .find(|d| !d.trim().is_empty())
                .unwrap_or("")
                .to_string();
            let (auth, oauth2) = self.lower_security(op, mp.security.as_deref(), &op_at)?;
            let base = if op.servers.is_empty() {
                server.clone()
            } else {
                server_url(&op.servers, &op_at.push("servers"))?
            };
            ops.push(Operation {
                id,
                fn_name,
                builder,
                method,
                path: path.to_string(),
                base_url: base_url(&base),
                doc,
                params,
                body,
                response,
                auth,
                oauth2,
                path_checks: vec![],
            });
        }
        if ops.is_empty() {
            // An empty path item generates nothing; there is nothing to lose.
            return Ok(());
        }
        let accessor_params = reconcile_accessor_params(&op_accessors, &mut ops)?;
        let client_account = client_account(path, &accessor_params);
        let doc = item
            .description
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_default();
        let group = resources.entry((module, name)).or_default();
        match group
            .iter_mut()
            .find(|r| same_names(&r.params, &accessor_params))
        {
            Some(r) => {
                let at = at.push("parameters");
                widen_accessor(
                    &mut r.params,
                    &mut r.operations,
                    &accessor_params,
                    &mut ops,
                    &at,
                )?;
                r.paths.push(path.to_string());
                if r.client_account != client_account {
                    r.client_account = None;
                }
                r.operations.extend(ops);
                if !doc.is_empty() && !r.docs.contains(&doc) {
                    r.docs.push(doc);
                }
            }
            None => group.push(PendingResource {
                full_name,
                paths: vec![path.to_string()],
                params: accessor_params,
                client_account,
                docs: if doc.is_empty() { vec![] } else { vec![doc] },
                operations: ops,
                at,
            }),
        }
        Ok(())
    }

    /// The name Twilio's specs give their HTTP Basic (Account SID + auth token) scheme.
    pub(super) const TWILIO_BASIC_SCHEME: &'static str = "accountSid_authToken";

    pub(super) fn lower_security(
        &self,
        op: &openapiv3::Operation,
        doc_security: Option<&[openapiv3::SecurityRequirement]>,
        at: &At,
    ) -> Result<(bool, Option<TokenEndpoint>)> {
        // An operation's own `security` (even empty) wins over the document's.
        // Several requirements are alternatives: the client sends whichever
        // credentials it has (Basic first).
        let reqs = op.security.as_deref().or(doc_security).unwrap_or_default();
        let mut auth = false;
        let mut oauth2 = None;
        for (n, req) in reqs.iter().enumerate() {
            for name in req.keys() {
                let defined = self
                    .merged
                    .components
                    .security_schemes
                    .get(&(at.file.clone(), name.clone()));
                // Every Twilio spec names its HTTP Basic scheme `accountSid_authToken`;
                // some of Twilio's own generator test specs use that name without
                // defining it. The name alone says Basic; any other undefined scheme
                // is an error.
                if defined.is_none() && name == Self::TWILIO_BASIC_SCHEME {
                    auth = true;
                    continue;
                }
                let scheme = defined.ok_or_else(|| {
                    at.push("security").push(n).error(format!(
                        "security scheme `{name}` is not defined in components.securitySchemes"
                    ))
                })?;
                match &scheme.item {
                    ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("basic") => {
                        auth = true
                    }
                    ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) => {
                        let scheme_at = At::of(scheme).push("flows");
                        let other = [
                            ("implicit", flows.implicit.is_some()),
                            ("password", flows.password.is_some()),
                            ("authorizationCode", flows.authorization_code.is_some()),
                        ];
                        if let Some((flow, _)) = other.iter().find(|(_, set)| *set) {
                            return Err(scheme_at.push(flow).error(format!(
                                "unsupported construct: the OAuth 2 `{flow}` flow; expected `clientCredentials`"
                            )));
                        }
                        let Some(cc) = &flows.client_credentials else {
                            return Err(scheme_at.error("expected an OAuth 2 `clientCredentials` flow"));
                        };
                        if !req[name].is_empty() {
                            return Err(at.push("security").push(n).push(name).error(
                                "unsupported construct: OAuth 2 scopes; expected an empty list (the token carries the client's own grants)",
                            ));
                        }
                        let endpoint = token_endpoint(&cc.token_url).ok_or_else(|| {
                            scheme_at.push("clientCredentials").push("tokenUrl").error(format!(
                                "expected an absolute http(s) URL such as `https://preview-iam.twilio.com/v1/token`, found `{}`",
                                cc.token_url
                            ))
                        })?;
                        oauth2 = Some(endpoint);
                    }
                    _ => {
                        return Err(At::of(scheme).error(format!(
                            "unsupported security scheme `{name}`: expected `type: http, scheme: basic` or `type: oauth2` with a `clientCredentials` flow"
                        )))
                    }
                }
            }
        }
        Ok((auth, oauth2))
    }

    pub(super) fn lower_response(
        &mut self,
        module: &str,
        builder: &str,
        op: &openapiv3::Operation,
        at: &At,
    ) -> Result<Response> {
        let at = at.push("responses");
        let mut success = vec![];
        let mut redirects = vec![];
        for (code, resp) in &op.responses.responses {
            match code {
                StatusCode::Code(c) if (200..300).contains(c) => success.push((*c, resp)),
                StatusCode::Code(c) if (300..400).contains(c) => redirects.push((*c, resp)),
                StatusCode::Code(_) => {}
                StatusCode::Range(r) if *r == 2 => {
                    return Err(at.push("2XX").error(
                        "unsupported construct: a `2XX` response range; expected explicit codes",
                    ))
                }
                StatusCode::Range(_) => {}
            }
        }
        success.sort_by_key(|(c, _)| *c);
        redirects.sort_by_key(|(c, _)| *c);
        // An operation documented only with a redirect (`307` with `redirect_to`
        // in the body) has that as its outcome: the client decodes it rather than
        // following the redirect. Beside a 2xx, a 3xx is just another outcome.
        let Some((status, resp)) = success.first().or(redirects.first()) else {
            return Err(at.error("expected a success (2xx) or redirect (3xx) response"));
        };
        let (resp, resp_at) = resolve_ref(
            resp,
            &at.push(status),
            "responses",
            &self.merged.components.responses,
        )?;
        if resp.content.is_empty() {
            return Ok(Response {
                status: *status,
                body: None,
                pagination: None,
                media_type: None,
            });
        }
        // `application/json`, else a JSON-based type (`application/scim+json`):
        // either way the body is decoded as JSON.
        let json = resp
            .content
            .get_key_value("application/json")
            .or_else(|| resp.content.iter().find(|(ct, _)| is_json_media_type(ct)));
        let Some((content_type, media)) = json else {
            let ct = resp.content.keys().next().cloned().unwrap_or_default();
            return Err(resp_at.push("content").push(&ct).error(format!(
                "unsupported response content type `{ct}`; expected application/json (or another `+json` type)"
            )));
        };
        let media_at = resp_at.push("content").push(content_type);
        let schema = media
            .schema
            .as_ref()
            .ok_or_else(|| media_at.error("expected a `schema` for the JSON response"))?;
        let ty = self.schema_type(
            module,
            &format!("{builder}Response"),
            None,
            schema,
            &media_at.push("schema"),
        )?;
        Ok(Response {
            status: *status,
            body: Some(ty),
            pagination: None,
            // Only the JSON type the spec serves is acceptable to a server that
            // negotiates (`application/scim+json` only): ask for that one.
            media_type: (content_type.as_str() != "application/json").then(|| content_type.clone()),
        })
    }
}

/// Follows a `$ref` into the component section `section` (`parameters`,
/// `requestBodies`, `responses`): the item and where it is written.
fn resolve_ref<'t, T>(
    item: &'t ReferenceOr<T>,
    at: &At,
    section: &str,
    components: &'t BTreeMap<crate::merge::ComponentKey, Located<ReferenceOr<T>>>,
) -> Result<(&'t T, At)> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok((item, at.clone())),
        ReferenceOr::Reference { reference } => reference,
    };
    let ref_at = at.push("$ref");
    let prefix = format!("#/components/{section}/");
    let name = reference.strip_prefix(&prefix).ok_or_else(|| {
        ref_at.error(format!(
            "unsupported `$ref` `{reference}`: expected `{prefix}NAME`"
        ))
    })?;
    // A `#/…` reference points into the document it is written in.
    let target = components
        .get(&(at.file.clone(), name.to_string()))
        .ok_or_else(|| {
            ref_at.error(format!(
                "broken `$ref`: no `{name}` in components.{section}"
            ))
        })?;
    match &target.item {
        ReferenceOr::Item(item) => Ok((item, At::of(target))),
        ReferenceOr::Reference { .. } => Err(At::of(target)
            .error("unsupported construct: a `$ref` to another `$ref`; expected the item itself")),
    }
}

/// `nullable: true` beside a `$ref` is honoured on an object property (the field
/// becomes an `Option`); anywhere else (an array's items, a map's values) the
/// generated types could not express it, so it is an error rather than ignored.
fn check_ref_siblings(merged: &Merged) -> Result<()> {
    for ((file, pointer), s) in &merged.ref_siblings {
        let parent = pointer.rsplit('/').nth(1);
        if s.nullable && parent != Some("properties") {
            return Err(Error::new(
                file,
                format!("{pointer}/nullable"),
                "unsupported construct: `nullable: true` beside a `$ref` other than on an object property",
            ));
        }
        // A restated `type` must be the target's; an unresolvable `$ref` is
        // reported where it is lowered.
        if s.type_.is_some() && !s.reference.starts_with("#/components/schemas/") {
            return Err(Error::new(
                file,
                format!("{pointer}/type"),
                "unsupported construct: `type` beside a `$ref` that is not to a component schema",
            ));
        }
        let target = s
            .reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| {
                merged
                    .components
                    .schemas
                    .get(&(file.clone(), name.to_string()))
            });
        if let (Some(t), Some(target)) = (&s.type_, target) {
            let actual = match &target.item {
                ReferenceOr::Item(schema) => schema_type_name(schema),
                ReferenceOr::Reference { .. } => None,
            };
            if actual != Some(t.as_str()) {
                return Err(Error::new(
                    file,
                    format!("{pointer}/type"),
                    format!(
                        "unsupported construct: `type: {t}` beside a `$ref` to a schema of type `{}`; expected no `type`, or the same",
                        actual.unwrap_or("(none)")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// `application/…+json` (RFC 6839), with any parameters: JSON under another name.
pub(super) fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

/// A schema's `type`, as written in the spec.
fn schema_type_name(schema: &openapiv3::Schema) -> Option<&'static str> {
    use openapiv3::{SchemaKind, Type as T};
    match &schema.schema_kind {
        SchemaKind::Type(T::String(_)) => Some("string"),
        SchemaKind::Type(T::Number(_)) => Some("number"),
        SchemaKind::Type(T::Integer(_)) => Some("integer"),
        SchemaKind::Type(T::Object(_)) => Some("object"),
        SchemaKind::Type(T::Array(_)) => Some("array"),
        SchemaKind::Type(T::Boolean(_)) => Some("boolean"),
        _ => None,
    }
}

/// The resource accessor's parameters, given each operation's declaration of them.
/// Twilio sometimes types one placeholder differently per operation (a SID for
/// `GET`, free text for `POST`). The accessor then takes text, and each operation
/// that declared something stricter checks it in `send()` (its `path_checks`).
fn reconcile_accessor_params(
    per_op: &[(Vec<Param>, At)],
    ops: &mut [Operation],
) -> Result<Vec<Param>> {
    let Some((first, _)) = per_op.first() else {
        return Ok(vec![]);
    };
    let key = |p: &Param| (p.ty.clone(), p.constraints.clone());
    let mut out = vec![];
    for (i, base) in first.iter().enumerate() {
        if per_op.iter().all(|(ps, _)| key(&ps[i]) == key(base)) {
            out.push(base.clone());
            continue;
        }
        for (ps, at) in per_op {
            if !matches!(ps[i].ty, Type::String | Type::Sid(_)) {
                return Err(at.error(format!(
                    "path parameter `{}` is typed differently by the operations of this path, and not as text or a SID",
                    base.wire_name
                )));
            }
        }
        for ((ps, _), op) in per_op.iter().zip(ops.iter_mut()) {
            let p = &ps[i];
            if p.ty != Type::String || p.constraints != Default::default() {
                op.path_checks.push(p.clone());
            }
        }
        let doc = per_op
            .iter()
            .map(|(ps, _)| ps[i].doc.clone())
            .find(|d| !d.is_empty())
            .unwrap_or_default();
        out.push(Param {
            ty: Type::String,
            constraints: Default::default(),
            format: None,
            doc,
            ..base.clone()
        });
    }
    Ok(out)
}

/// Whether two accessor parameter lists name the same placeholders (their types
/// may differ: see `widen_accessor`).
fn same_names(a: &[Param], b: &[Param]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.wire_name == y.wire_name)
}

/// Joins a path's accessor parameters (`new`, for operations `new_ops`) to those
/// of a resource it shares with another path (`params`, for `ops`): a placeholder
/// the two paths type differently (Twilio types `{ConferenceSid}` as a SID on one
/// path and as text on the other) becomes text in the accessor, and each
/// operation that declared something stricter checks it in `send()`, as
/// `reconcile_accessor_params` does within one path. So list and instance paths
/// stay one resource rather than two numbered ones.
fn widen_accessor(
    params: &mut [Param],
    ops: &mut [Operation],
    new: &[Param],
    new_ops: &mut [Operation],
    at: &At,
) -> Result<()> {
    let key = |p: &Param| (p.ty.clone(), p.constraints.clone());
    for (mine, theirs) in params.iter_mut().zip(new) {
        if key(mine) == key(theirs) {
            continue;
        }
        for p in [&*mine, theirs] {
            if !matches!(p.ty, Type::String | Type::Sid(_)) {
                return Err(at.error(format!(
                    "path parameter `{}` is typed differently by two paths of one resource, and not as text or a SID",
                    p.wire_name
                )));
            }
        }
        for (p, ops) in [(mine.clone(), &mut *ops), (theirs.clone(), &mut *new_ops)] {
            let strict = p.ty != Type::String || p.constraints != Default::default();
            for op in ops.iter_mut() {
                if strict && !op.path_checks.iter().any(|c| c.wire_name == p.wire_name) {
                    op.path_checks.push(p.clone());
                }
            }
        }
        mine.ty = Type::String;
        mine.constraints = Default::default();
    }
    Ok(())
}

/// Marks each struct field that leads back to its own struct without passing
/// through a `Vec` or map (which already break the cycle), so it is `Box`ed.
fn box_recursive_fields(versions: &mut [Version]) {
    type Key = (String, String);
    let direct = |t: &Type| match t {
        Type::Model { module, name } => Some((module.clone(), name.clone())),
        _ => None,
    };
    let mut edges: BTreeMap<Key, Vec<Key>> = BTreeMap::new();
    for v in versions.iter() {
        for m in &v.models {
            let to = match &m.kind {
                ModelKind::Struct { fields } => {
                    fields.iter().filter_map(|f| direct(&f.ty)).collect()
                }
                ModelKind::OneOf { variants, .. } => {
                    variants.iter().filter_map(|x| direct(&x.ty)).collect()
                }
                ModelKind::Enum { .. } => vec![],
            };
            edges.insert((v.module.clone(), m.name.clone()), to);
        }
    }
    let reaches = |from: &Key, target: &Key| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(k) = stack.pop() {
            if &k == target {
                return true;
            }
            if seen.insert(k.clone()) {
                stack.extend(edges.get(&k).into_iter().flatten().cloned());
            }
        }
        false
    };
    for v in versions.iter_mut() {
        for m in &mut v.models {
            let me = (v.module.clone(), m.name.clone());
            match &mut m.kind {
                ModelKind::Struct { fields } => {
                    for f in fields {
                        f.boxed = direct(&f.ty).is_some_and(|to| reaches(&to, &me));
                    }
                }
                ModelKind::OneOf { variants, .. } => {
                    for x in variants {
                        x.boxed = direct(&x.ty).is_some_and(|to| reaches(&to, &me));
                    }
                }
                ModelKind::Enum { .. } => {}
            }
        }
    }
}

/// Replaces SID prefix keys (`FU`) with their chosen type names (`FlexUserSid`).
/// Gives the types named after lowering their names: SID newtypes (`sids`, by
/// prefix key) and shared format enums (`enums`, by placeholder).
fn rename_types(
    v: &mut Version,
    sids: &BTreeMap<String, (String, String)>,
    enums: &BTreeMap<String, String>,
) {
    let names = &(sids, enums);
    type Names<'n> = (
        &'n BTreeMap<String, (String, String)>,
        &'n BTreeMap<String, String>,
    );
    fn fix(t: &mut Type, names: &Names) {
        match t {
            Type::Sid(key) => *key = names.0[key.as_str()].0.clone(),
            Type::Model { name, .. } => {
                if let Some(n) = names.1.get(name.as_str()) {
                    *name = n.clone();
                }
            }
            Type::Array(inner) | Type::Map(inner) => fix(inner, names),
            _ => {}
        }
    }
    for r in &mut v.resources {
        for p in &mut r.params {
            fix(&mut p.ty, names);
        }
        for op in &mut r.operations {
            for p in op.params.iter_mut().chain(&mut op.path_checks) {
                fix(&mut p.ty, names);
            }
            if let Some(t) = &mut op.response.body {
                fix(t, names);
            }
            if let Some(p) = &mut op.response.pagination {
                fix(&mut p.item, names);
            }
        }
    }
    for m in &mut v.models {
        match &mut m.kind {
            ModelKind::Struct { fields } => {
                for f in fields {
                    fix(&mut f.ty, names);
                }
            }
            ModelKind::OneOf { variants, .. } => {
                for x in variants {
                    fix(&mut x.ty, names);
                }
            }
            ModelKind::Enum { .. } => {}
        }
    }
}

/// A stable name for an operation without an `operationId`, from its method and
/// path alone: a verb (as Twilio's specs would name it: `Fetch`/`List` for GET on
/// an instance/list, `Update`/`Create` for POST, `Replace` for PUT, `Patch`,
/// `Delete`) then the path's literal segments after the version
/// (`GET /v1/Teams/{Sid}/Members` -> `ListTeamsMembers`). Distinct methods of a
/// path give distinct verbs, so two derived names of one path never clash.
fn derived_operation_id(method: Method, is_instance: bool, segs: &[Segment]) -> String {
    let verb = match (method, is_instance) {
        (Method::Get, true) => "Fetch",
        (Method::Get, false) => "List",
        (Method::Post, true) => "Update",
        (Method::Post, false) => "Create",
        (Method::Put, _) => "Replace",
        (Method::Patch, _) => "Patch",
        (Method::Delete, _) => "Delete",
    };
    let mut id = verb.to_string();
    for (i, seg) in segs.iter().enumerate() {
        if let Segment::Literal(l) = seg {
            let l = l.trim_end_matches(".json");
            if i == 0 && version_name(l).is_some() {
                continue;
            }
            id.push_str(&camel(l));
        }
    }
    id
}

/// An absolute `http(s)://host[:port]/path` token URL, split where the path starts.
fn token_endpoint(url: &str) -> Option<TokenEndpoint> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_len = rest.find('/')?;
    let (host, path) = rest.split_at(host_len);
    let plain =
        |s: &str| !s.is_empty() && !s.contains(['?', '#', '@', '{', '}', ' ']) && s.is_ascii();
    if !plain(host) || !plain(path) || path == "/" {
        return None;
    }
    Some(TokenEndpoint {
        base_url: url[..url.len() - path.len()].to_string(),
        path: path.to_string(),
    })
}

/// What a SID type identifies, for its docs, read from its name:
/// `FlexUserSid` -> `flex user`.
pub fn sid_what(name: &str) -> String {
    heck::ToSnakeCase::to_snake_case(name.trim_end_matches("Sid")).replace('_', " ")
}
