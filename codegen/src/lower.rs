//! Lower: the merged OpenAPI document becomes the IR. `$ref`s are resolved, every
//! Rust name is chosen here (deterministically), and every construct the generated
//! client could not honour is an error naming its file and JSON pointer.

use crate::error::{Error, Pointer, Result};
use crate::ir::{
    Api, BodyEncoding, Bound, Constraints, EnumValue, Field, Location, Method, Model, ModelKind,
    Operation, Param, Resource, Response, SidType, Type, Version,
};
use crate::merge::{Located, Merged, MergedPath};
use crate::names::{camel, snake, unraw};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, Parameter, ParameterSchemaOrContent,
    ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat, VariantOrUnknownOrEmpty,
};
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

/// Lowers the merged API to the IR.
pub fn lower(merged: &Merged) -> Result<Api> {
    let mut l = Lowerer {
        merged,
        models: BTreeMap::new(),
        named: BTreeMap::new(),
        sid_names: BTreeMap::new(),
        version_ids: BTreeMap::new(),
        inlining: BTreeSet::new(),
    };
    let mut resources: BTreeMap<(String, String), Vec<PendingResource>> = BTreeMap::new();
    for (path, mp) in &merged.paths {
        l.lower_path(path, mp, &mut resources)?;
    }
    let mut versions: BTreeMap<String, Version> = BTreeMap::new();
    for ((module, name), mut group) in resources {
        let version = versions
            .entry(module.clone())
            .or_insert_with(|| l.version_shell(&module));
        // Same name, different accessor parameters: the later paths (in path order,
        // so deterministically) get a numeric suffix.
        let multiple = group.len() > 1;
        for (n, pending) in group.drain(..).enumerate() {
            let name = if multiple && n > 0 {
                format!("{name}_{}", n + 1)
            } else {
                name.clone()
            };
            version.resources.push(pending.finish(name)?);
        }
    }
    for (module, models) in std::mem::take(&mut l.models) {
        let version = versions
            .entry(module.clone())
            .or_insert_with(|| l.version_shell(&module));
        version.models = models.into_values().collect();
    }
    let sids = l.name_sids();
    let mut versions: Vec<Version> = versions.into_values().collect();
    box_recursive_fields(&mut versions);
    for v in &mut versions {
        v.resources.sort();
        rename_sids(v, &sids);
    }
    let mut sid_types: Vec<SidType> = sids
        .into_iter()
        .map(|(key, name)| SidType {
            name,
            prefixes: key.split('|').map(String::from).collect(),
        })
        .collect();
    sid_types.sort();
    Ok(Api {
        sids: sid_types,
        versions,
    })
}

struct Lowerer<'a> {
    merged: &'a Merged,
    /// Generated types per version module, by type name.
    models: BTreeMap<String, BTreeMap<String, Model>>,
    /// Component schemas already given a named type.
    named: BTreeMap<String, Type>,
    /// For each SID prefix set (`FU`, `MM|SM`): candidate type names and how often seen.
    sid_names: BTreeMap<String, BTreeMap<String, usize>>,
    /// Version module -> (domain, version).
    version_ids: BTreeMap<String, (String, String)>,
    /// Components being lowered inline right now (to detect self-reference).
    inlining: BTreeSet<String>,
}

/// A resource being assembled from one or more paths (list and instance).
struct PendingResource {
    params: Vec<Param>,
    docs: Vec<String>,
    operations: Vec<Operation>,
    at: At,
}

impl PendingResource {
    fn finish(mut self, name: String) -> Result<Resource> {
        // Method names: the operationId's verb (`FetchFlexUser` -> `fetch`) unless two
        // operations of this resource share a verb; then the whole operationId.
        let mut verbs: BTreeMap<String, usize> = BTreeMap::new();
        for op in &self.operations {
            *verbs.entry(op.fn_name.clone()).or_default() += 1;
        }
        for op in &mut self.operations {
            if verbs[&op.fn_name] > 1 {
                op.fn_name = snake(&op.id);
            }
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
        let type_name = camel(unraw(&name));
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
        Ok(Resource {
            name: module,
            type_name,
            doc: self.docs.join("\n\n"),
            params: self.params,
            operations: self.operations,
        })
    }
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

/// Only the serialisations Twilio's SDKs use are supported: query `form` with
/// `explode` (lists as repeated keys), path and header `simple`.
fn check_serialization(p: &Parameter, at: &At) -> Result<()> {
    use openapiv3::{PathStyle, QueryStyle};
    let data = p.parameter_data_ref();
    let unsupported = |member: &str, what: &str| {
        Err(at
            .push(member)
            .error(format!("unsupported construct: {what}")))
    };
    match p {
        Parameter::Query {
            allow_reserved,
            style,
            allow_empty_value,
            ..
        } => {
            if *allow_reserved {
                return unsupported(
                    "allowReserved",
                    "`allowReserved: true`; values are always percent-encoded",
                );
            }
            if !matches!(style, QueryStyle::Form) {
                return unsupported("style", "a query `style` other than `form`");
            }
            if *allow_empty_value == Some(true) {
                return unsupported("allowEmptyValue", "`allowEmptyValue: true`");
            }
            if data.explode == Some(false) {
                return unsupported(
                    "explode",
                    "`explode: false`; lists are sent as repeated keys",
                );
            }
        }
        Parameter::Path { style, .. } if !matches!(style, PathStyle::Simple) => {
            return unsupported("style", "a path `style` other than `simple`");
        }
        _ => {}
    }
    Ok(())
}

/// RFC 9110 token characters.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The first server's URL; server variables are not supported.
fn server_url(servers: &[openapiv3::Server], at: &At) -> Result<String> {
    let first = servers.first().ok_or_else(|| {
        at.error("no `servers` entry applies to this path; expected the API's base URL")
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
    fn version_shell(&self, module: &str) -> Version {
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

    fn lower_path(
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
        let version = version_name(first)
            .ok_or_else(|| at.error(format!("expected the first path segment to be a version (`v1`, `2010-04-01`), found `{first}`")))?;
        let server = server_url(&mp.servers.item, &At::of(&mp.servers))?;
        let domain = domain_name(&server).ok_or_else(|| {
            At::of(&mp.servers).push(0).push("url").error(format!(
                "expected an absolute server URL such as `https://flex-api.twilio.com`, found `{server}`"
            ))
        })?;
        let module = snake(&format!("{domain}_{version}"));
        self.version_ids.insert(module.clone(), (domain, version));

        // Resource name: x-twilio mountName, else className, else the last literal segment.
        let ext = &item.extensions;
        let last_literal = segs.iter().rev().find_map(|s| match s {
            Segment::Literal(l) => Some(l.trim_end_matches(".json")),
            _ => None,
        });
        let name_source = extension_str(ext, "mountName")
            .or_else(|| extension_str(ext, "className"))
            .or(last_literal)
            .unwrap_or(first);
        let name = snake(name_source);
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
        let mut accessor_params: Option<Vec<Param>> = None;
        let mut ops = vec![];
        for (token, method, op) in methods {
            let Some(op) = op else { continue };
            let op_at = at.push(token);
            let id = op
                .operation_id
                .clone()
                .ok_or_else(|| op_at.error("expected an `operationId`"))?;
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
            let response = self.lower_response(&module, &builder, op, &op_at)?;
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
            match &accessor_params {
                None => accessor_params = Some(accessor),
                Some(prev) if same_names(prev, &accessor) => {}
                Some(_) => {
                    return Err(op_at
                        .push("parameters")
                        .error("path parameters differ between operations of one path"))
                }
            }
            let (required, optional): (Vec<Param>, Vec<Param>) =
                params.into_iter().partition(|p| p.required);
            let mut params: Vec<Param> = mine.into_iter().chain(required).chain(optional).collect();
            dedupe_rust_names(accessor_params.as_deref().unwrap_or_default(), &mut params);
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
            let auth = self.lower_security(op, mp.security.as_deref(), &op_at)?;
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
            });
        }
        if ops.is_empty() {
            // An empty path item generates nothing; there is nothing to lose.
            return Ok(());
        }
        let accessor_params = accessor_params.unwrap_or_default();
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
                r.operations.extend(ops);
                if !doc.is_empty() && !r.docs.contains(&doc) {
                    r.docs.push(doc);
                }
            }
            None => group.push(PendingResource {
                params: accessor_params,
                docs: if doc.is_empty() { vec![] } else { vec![doc] },
                operations: ops,
                at,
            }),
        }
        Ok(())
    }

    fn lower_security(
        &self,
        op: &openapiv3::Operation,
        doc_security: Option<&[openapiv3::SecurityRequirement]>,
        at: &At,
    ) -> Result<bool> {
        // An operation's own `security` (even empty) wins over the document's.
        let reqs = op.security.as_deref().or(doc_security).unwrap_or_default();
        let mut auth = false;
        for (n, req) in reqs.iter().enumerate() {
            for name in req.keys() {
                let scheme = self
                    .merged
                    .components
                    .security_schemes
                    .get(name)
                    .ok_or_else(|| {
                        at.push("security").push(n).error(format!(
                            "security scheme `{name}` is not defined in components.securitySchemes"
                        ))
                    })?;
                match &scheme.item {
                    ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("basic") => {
                        auth = true
                    }
                    _ => {
                        return Err(At::of(scheme).error(format!(
                            "unsupported security scheme `{name}`: expected `type: http, scheme: basic`"
                        )))
                    }
                }
            }
        }
        Ok(auth)
    }

    fn resolve_param<'p>(
        &self,
        p: &'p ReferenceOr<Parameter>,
        at: &At,
    ) -> Result<(&'p Parameter, At)>
    where
        'a: 'p,
    {
        match p {
            ReferenceOr::Item(p) => Ok((p, at.clone())),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/").ok_or_else(|| {
                    at.push("$ref").error(format!("unsupported `$ref` `{reference}`: expected `#/components/parameters/NAME`"))
                })?;
                let target = self.merged.components.parameters.get(name).ok_or_else(|| {
                    at.push("$ref").error(format!(
                        "broken `$ref`: no parameter `{name}` in components.parameters"
                    ))
                })?;
                match &target.item {
                    ReferenceOr::Item(p) => Ok((p, At::of(target))),
                    ReferenceOr::Reference { .. } => Err(At::of(target)
                        .error("unsupported construct: a parameter `$ref` to another `$ref`")),
                }
            }
        }
    }

    fn lower_params(
        &mut self,
        module: &str,
        builder: &str,
        path_level: &[ReferenceOr<Parameter>],
        op_level: &[ReferenceOr<Parameter>],
        path_at: &At,
        op_at: &At,
    ) -> Result<Vec<Param>> {
        // Operation-level parameters override path-level ones with the same name and location.
        let mut all: Vec<(&Parameter, At)> = vec![];
        for (n, p) in path_level.iter().enumerate() {
            all.push(self.resolve_param(p, &path_at.push("parameters").push(n))?);
        }
        for (n, p) in op_level.iter().enumerate() {
            let (p, at) = self.resolve_param(p, &op_at.push("parameters").push(n))?;
            let key = |q: &Parameter| {
                (
                    q.parameter_data_ref().name.clone(),
                    std::mem::discriminant(q),
                )
            };
            all.retain(|(q, _)| key(q) != key(p));
            all.push((p, at));
        }
        let mut out = vec![];
        for (p, at) in all {
            let location = match p {
                Parameter::Path { .. } => Location::Path,
                Parameter::Query { .. } => Location::Query,
                Parameter::Header { .. } => Location::Header,
                Parameter::Cookie { .. } => {
                    return Err(at.error("unsupported construct: `in: cookie` parameter"))
                }
            };
            check_serialization(p, &at)?;
            let data = p.parameter_data_ref();
            if location == Location::Header && !is_header_name(&data.name) {
                return Err(at
                    .push("name")
                    .error(format!("`{}` is not a valid HTTP header name", data.name)));
            }
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => s,
                ParameterSchemaOrContent::Content(_) => {
                    return Err(at.push("content").error(
                        "unsupported construct: parameter with `content`; expected `schema`",
                    ))
                }
            };
            let required = data.required || location == Location::Path;
            let ctx = format!("{builder}{}", camel(&data.name));
            out.push(self.lower_param(
                module,
                &ctx,
                &data.name,
                location,
                required,
                data.description.as_deref(),
                schema,
                &at.push("schema"),
            )?);
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_param(
        &mut self,
        module: &str,
        ctx: &str,
        wire_name: &str,
        location: Location,
        required: bool,
        description: Option<&str>,
        schema: &ReferenceOr<Schema>,
        at: &At,
    ) -> Result<Param> {
        let (resolved, resolved_at) = self.resolve_schema_ref(schema, at)?;
        let ty = self.schema_type(module, ctx, Some(wire_name), schema, at)?;
        let constraints = param_constraints(resolved, &ty, &resolved_at)?;
        if let SchemaKind::Type(openapiv3::Type::Array(openapiv3::ArrayType {
            items: Some(items),
            ..
        })) = &resolved.schema_kind
        {
            let items = unbox_ref(items);
            let (items, items_at) = self.resolve_schema_ref(&items, &resolved_at.push("items"))?;
            check_item_constraints(items, &items_at)?;
        }
        if contains_map_of_dates(&ty) {
            return Err(
                at.error("unsupported construct: dates or date-times inside a map parameter")
            );
        }
        let description = description
            .filter(|d| !d.trim().is_empty())
            .or(resolved.schema_data.description.as_deref())
            .unwrap_or("")
            .to_string();
        Ok(Param {
            wire_name: wire_name.to_string(),
            rust_name: param_name(wire_name),
            location,
            ty,
            required,
            doc: description,
            constraints,
        })
    }

    fn lower_body(
        &mut self,
        module: &str,
        builder: &str,
        op: &openapiv3::Operation,
        at: &At,
    ) -> Result<(Option<BodyEncoding>, Vec<Param>)> {
        let Some(body) = &op.request_body else {
            return Ok((None, vec![]));
        };
        let mut at = at.push("requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/").ok_or_else(|| {
                    at.push("$ref").error(format!("unsupported `$ref` `{reference}`: expected `#/components/requestBodies/NAME`"))
                })?;
                let target = self
                    .merged
                    .components
                    .request_bodies
                    .get(name)
                    .ok_or_else(|| {
                        at.push("$ref").error(format!(
                            "broken `$ref`: no request body `{name}` in components.requestBodies"
                        ))
                    })?;
                at = At::of(target);
                target.item.as_item().ok_or_else(|| {
                    at.error("unsupported construct: a request body `$ref` to another `$ref`")
                })?
            }
        };
        if body.content.len() != 1 {
            return Err(at.push("content").error(format!(
                "expected exactly one request content type, found {}",
                body.content.len()
            )));
        }
        let (content_type, media) = body.content.first().expect("one entry");
        let encoding = match content_type.as_str() {
            "application/x-www-form-urlencoded" => BodyEncoding::Form,
            "application/json" => BodyEncoding::Json,
            other => {
                return Err(at.push("content").push(other).error(format!(
                    "unsupported request content type `{other}`; expected application/x-www-form-urlencoded or application/json"
                )))
            }
        };
        let media_at = at.push("content").push(content_type);
        if !media.encoding.is_empty() {
            return Err(media_at
                .push("encoding")
                .error("unsupported construct: a request body `encoding`"));
        }
        let Some(schema) = &media.schema else {
            return Ok((Some(encoding), vec![]));
        };
        let (schema, schema_at) = self.resolve_schema_ref(schema, &media_at.push("schema"))?;
        let SchemaKind::Type(openapiv3::Type::Object(obj)) = &schema.schema_kind else {
            return Err(schema_at
                .error("unsupported request body schema: expected an object with `properties`"));
        };
        if obj.additional_properties.is_some() {
            return Err(schema_at
                .push("additionalProperties")
                .error("unsupported construct: `additionalProperties` in a request body"));
        }
        let props_at = schema_at.push("properties");
        let mut params = vec![];
        for (name, prop) in &obj.properties {
            let prop = unbox_ref(prop);
            let required = obj.required.contains(name);
            let ctx = format!("{builder}{}", camel(name));
            let p = self.lower_param(
                module,
                &ctx,
                name,
                Location::Body,
                required,
                None,
                &prop,
                &props_at.push(name),
            )?;
            params.push(p);
        }
        for r in &obj.required {
            if !obj.properties.contains_key(r) {
                return Err(schema_at
                    .push("required")
                    .error(format!("required property `{r}` is not among `properties`")));
            }
        }
        Ok((Some(encoding), params))
    }

    fn lower_response(
        &mut self,
        module: &str,
        builder: &str,
        op: &openapiv3::Operation,
        at: &At,
    ) -> Result<Response> {
        let at = at.push("responses");
        let mut success = vec![];
        for (code, resp) in &op.responses.responses {
            match code {
                StatusCode::Code(c) if (200..300).contains(c) => success.push((*c, resp)),
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
        let Some((status, resp)) = success.first() else {
            return Err(at.error("expected a success (2xx) response"));
        };
        let mut resp_at = at.push(status);
        let resp = match resp {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/").ok_or_else(|| {
                    resp_at.push("$ref").error(format!("unsupported `$ref` `{reference}`: expected `#/components/responses/NAME`"))
                })?;
                let target = self.merged.components.responses.get(name).ok_or_else(|| {
                    resp_at.push("$ref").error(format!(
                        "broken `$ref`: no response `{name}` in components.responses"
                    ))
                })?;
                resp_at = At::of(target);
                target.item.as_item().ok_or_else(|| {
                    resp_at.error("unsupported construct: a response `$ref` to another `$ref`")
                })?
            }
        };
        if resp.content.is_empty() {
            return Ok(Response {
                status: *status,
                body: None,
            });
        }
        let Some(media) = resp.content.get("application/json") else {
            let ct = resp.content.keys().next().cloned().unwrap_or_default();
            return Err(resp_at.push("content").push(&ct).error(format!(
                "unsupported response content type `{ct}`; expected application/json"
            )));
        };
        let media_at = resp_at.push("content").push("application/json");
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
        })
    }

    /// Follows a schema `$ref` to its component (one level; chains are followed too).
    fn resolve_schema_ref<'s>(
        &self,
        schema: &'s ReferenceOr<Schema>,
        at: &At,
    ) -> Result<(&'s Schema, At)>
    where
        'a: 's,
    {
        let mut current = schema;
        let mut at = at.clone();
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(s) => return Ok((s, at)),
                ReferenceOr::Reference { reference } => {
                    let (target, _) = self.schema_component(reference, &at)?;
                    at = At::of(target);
                    current = &target.item;
                }
            }
        }
        Err(at.error("`$ref` chain too long (a cycle?)"))
    }

    fn schema_component(
        &self,
        reference: &str,
        at: &At,
    ) -> Result<(&'a Located<ReferenceOr<Schema>>, &'a str)> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| {
                at.push("$ref").error(format!(
                    "unsupported `$ref` `{reference}`: expected `#/components/schemas/NAME`"
                ))
            })?;
        let (key, target) = self
            .merged
            .components
            .schemas
            .get_key_value(name)
            .ok_or_else(|| {
                at.push("$ref").error(format!(
                    "broken `$ref`: no schema `{name}` in components.schemas"
                ))
            })?;
        Ok((target, key.as_str()))
    }

    /// The module and type name a component schema is generated as:
    /// `flex.v2.flex_user` -> `flex_v2::models::FlexUser` when `flex_v2` is its version.
    fn component_type_name(&self, component: &str, module: &str) -> (String, String) {
        let parts: Vec<&str> = component.split('.').collect();
        if parts.len() >= 3 {
            let candidate = snake(&format!("{}_{}", parts[0], parts[1]));
            if self.version_ids.contains_key(&candidate) {
                return (candidate, camel(&parts[2..].join("_")));
            }
        }
        (module.to_string(), camel(component))
    }

    /// A type name not yet used in `module` (suffixing a number on a clash).
    fn free_name(&self, module: &str, base: &str) -> String {
        let taken = |n: &str| self.models.get(module).is_some_and(|m| m.contains_key(n));
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|n| !taken(n))
            .expect("unbounded")
    }

    fn add_model(&mut self, module: &str, model: Model) {
        self.models
            .entry(module.to_string())
            .or_default()
            .insert(model.name.clone(), model);
    }

    /// The Rust type of a schema. `ctx` names inline objects and enums; `sid_hint` is
    /// the parameter or property name, used to name SID newtypes.
    fn schema_type(
        &mut self,
        module: &str,
        ctx: &str,
        sid_hint: Option<&str>,
        schema: &ReferenceOr<Schema>,
        at: &At,
    ) -> Result<Type> {
        let schema = match schema {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                let (target, component) = self.schema_component(reference, at)?;
                if let Some(t) = self.named.get(component) {
                    return Ok(t.clone());
                }
                let target_at = At::of(target);
                let (item, item_at) = self.resolve_schema_ref(&target.item, &target_at)?;
                if is_named_kind(item) {
                    let (tmodule, base) = self.component_type_name(component, module);
                    let name = self.free_name(&tmodule, &base);
                    let ty = Type::Model {
                        module: tmodule.clone(),
                        name: name.clone(),
                    };
                    // Registered before lowering the body so recursive schemas terminate.
                    self.named.insert(component.to_string(), ty.clone());
                    let placeholder = Model {
                        name: name.clone(),
                        source: component.to_string(),
                        doc: String::new(),
                        kind: ModelKind::Struct { fields: vec![] },
                    };
                    self.add_model(&tmodule, placeholder);
                    let model = self.lower_model(&tmodule, &name, component, item, &item_at)?;
                    self.add_model(&tmodule, model);
                    return Ok(ty);
                }
                // Only named types can contain themselves; `A: {items: {$ref: A}}`
                // has no finite Rust type.
                if !self.inlining.insert(component.to_string()) {
                    return Err(at.push("$ref").error(format!(
                        "unsupported construct: schema `{component}` contains itself other than through an object"
                    )));
                }
                let ctx = camel(&component_type_base(component));
                let ty = self.schema_type(
                    module,
                    &ctx,
                    sid_hint,
                    &ReferenceOr::Item(item.clone()),
                    &item_at,
                );
                self.inlining.remove(component);
                return ty;
            }
        };
        if is_named_kind(schema) {
            let name = self.free_name(module, ctx);
            let ty = Type::Model {
                module: module.to_string(),
                name: name.clone(),
            };
            let placeholder = Model {
                name: name.clone(),
                source: ctx.to_string(),
                doc: String::new(),
                kind: ModelKind::Struct { fields: vec![] },
            };
            self.add_model(module, placeholder);
            let model = self.lower_model(module, &name, ctx, schema, at)?;
            self.add_model(module, model);
            return Ok(ty);
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(s)) => {
                if let Some(p) = &s.pattern {
                    if let Some(prefixes) = sid_prefixes(p) {
                        let key = prefixes.join("|");
                        if let Some(hint) = sid_hint.map(camel) {
                            let hint = if hint == "Sid" {
                                format!("{}Sid", strip_suffix_words(ctx))
                            } else {
                                hint
                            };
                            if hint.ends_with("Sid") {
                                *self
                                    .sid_names
                                    .entry(key.clone())
                                    .or_default()
                                    .entry(hint)
                                    .or_default() += 1;
                            }
                        }
                        self.sid_names.entry(key.clone()).or_default();
                        return Ok(Type::Sid(key));
                    }
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Type::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Type::Date,
                    _ => Type::String,
                }
            }
            SchemaKind::Type(openapiv3::Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Type::I32,
                _ => Type::I64,
            },
            SchemaKind::Type(openapiv3::Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float | NumberFormat::Double)
                | VariantOrUnknownOrEmpty::Empty => Type::F64,
                VariantOrUnknownOrEmpty::Unknown(f) => {
                    return Err(at.push("format").error(format!(
                        "unsupported number format `{f}`; expected float or double"
                    )))
                }
            },
            SchemaKind::Type(openapiv3::Type::Boolean(_)) => Type::Bool,
            SchemaKind::Type(openapiv3::Type::Array(a)) => {
                let items = match &a.items {
                    Some(items) => self.schema_type(
                        module,
                        &format!("{ctx}Item"),
                        sid_hint,
                        &unbox_ref(items),
                        &at.push("items"),
                    )?,
                    None => Type::Any,
                };
                Type::Array(Box::new(items))
            }
            SchemaKind::Type(openapiv3::Type::Object(o)) => match &o.additional_properties {
                Some(AdditionalProperties::Schema(s)) => {
                    let v = self.schema_type(
                        module,
                        &format!("{ctx}Value"),
                        None,
                        s,
                        &at.push("additionalProperties"),
                    )?;
                    Type::Map(Box::new(v))
                }
                _ => Type::Any,
            },
            SchemaKind::Any(any) => {
                if let Some(typ) = &any.typ {
                    let others: Vec<&str> = any_schema_members(any)
                        .into_iter()
                        .filter(|m| *m != "type")
                        .collect();
                    return Err(at.error(format!(
                        "unsupported construct: `type: {typ}` combined with {}; expected members that belong to that type",
                        if others.is_empty() { "nothing else".to_string() } else { format!("`{}`", others.join("`, `")) }
                    )));
                }
                // A `format` alone does not shape an untyped value: it stays free-form.
                if let Some(member) = any_schema_members(any).into_iter().find(|m| *m != "format") {
                    return Err(at.push(member).error(format!(
                        "unsupported construct: `{member}` on a schema without `type`; expected a typed schema"
                    )));
                }
                Type::Any
            }
            SchemaKind::OneOf { .. } => {
                return Err(at.push("oneOf").error("unsupported construct: `oneOf`"))
            }
            SchemaKind::AllOf { .. } => {
                return Err(at.push("allOf").error("unsupported construct: `allOf`"))
            }
            SchemaKind::AnyOf { .. } => {
                return Err(at.push("anyOf").error("unsupported construct: `anyOf`"))
            }
            SchemaKind::Not { .. } => {
                return Err(at.push("not").error("unsupported construct: `not`"))
            }
        })
    }

    fn lower_model(
        &mut self,
        module: &str,
        name: &str,
        source: &str,
        schema: &Schema,
        at: &At,
    ) -> Result<Model> {
        let doc = schema.schema_data.description.clone().unwrap_or_default();
        let kind = match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(s)) => {
                let mut values = vec![];
                let mut variants = BTreeSet::new();
                let mut seen_wire = BTreeSet::new();
                // An exact duplicate is the same value: listed once.
                for wire in s
                    .enumeration
                    .iter()
                    .flatten()
                    .filter(|w| seen_wire.insert(w.as_str()))
                {
                    let mut variant = camel(wire);
                    if variant == "Other" {
                        variant = "Other_".to_string();
                    }
                    // Values that differ only in case or punctuation (`self`, `Self`)
                    // get a numeric suffix, in spec order.
                    let base = variant.trim_end_matches('_').to_string();
                    let mut n = 2;
                    while !variants.insert(variant.clone()) {
                        variant = format!("{base}V{n}");
                        n += 1;
                    }
                    values.push(EnumValue {
                        wire: wire.clone(),
                        variant,
                    });
                }
                ModelKind::Enum { values }
            }
            SchemaKind::Type(openapiv3::Type::Object(o)) => {
                let mut fields = vec![];
                let props_at = at.push("properties");
                let mut names = BTreeSet::new();
                for (prop_name, prop) in &o.properties {
                    let prop_at = props_at.push(prop_name);
                    let prop = unbox_ref(prop);
                    let (resolved, _) = self.resolve_schema_ref(&prop, &prop_at)?;
                    let nullable = resolved.schema_data.nullable;
                    let pii = resolved
                        .schema_data
                        .extensions
                        .get("x-twilio")
                        .and_then(|x| x.get("pii"))
                        .is_some();
                    let doc = resolved.schema_data.description.clone().unwrap_or_default();
                    let ctx = format!("{name}{}", camel(prop_name));
                    let ty = self.schema_type(module, &ctx, Some(prop_name), &prop, &prop_at)?;
                    if nested_date(&ty) {
                        return Err(prop_at.error(
                            "unsupported construct: dates or date-times inside an array or map property",
                        ));
                    }
                    let mut rust_name = snake(prop_name);
                    while !names.insert(rust_name.clone()) {
                        rust_name = format!("{}_", unraw(&rust_name));
                    }
                    fields.push(Field {
                        wire_name: prop_name.clone(),
                        rust_name,
                        ty,
                        optional: nullable || !o.required.contains(prop_name),
                        doc,
                        pii,
                        boxed: false,
                    });
                }
                ModelKind::Struct { fields }
            }
            _ => unreachable!("is_named_kind admits only objects and string enums"),
        };
        Ok(Model {
            name: name.to_string(),
            source: source.to_string(),
            doc,
            kind,
        })
    }

    /// Chooses one Rust name per SID prefix set: the most used field/parameter name,
    /// ties broken by the shorter then the alphabetically first name.
    fn name_sids(&self) -> BTreeMap<String, String> {
        let mut taken = BTreeSet::new();
        let mut out = BTreeMap::new();
        for (key, candidates) in &self.sid_names {
            let mut ranked: Vec<(&String, &usize)> = candidates.iter().collect();
            ranked.sort_by(|a, b| {
                b.1.cmp(a.1)
                    .then(a.0.len().cmp(&b.0.len()))
                    .then(a.0.cmp(b.0))
            });
            let fallback = format!("{}Sid", camel(&key.replace('|', "_")));
            let name = ranked
                .into_iter()
                .map(|(n, _)| n.clone())
                .find(|n| !taken.contains(n))
                .unwrap_or_else(|| {
                    if taken.contains(&fallback) {
                        format!("{fallback}{}", key.len())
                    } else {
                        fallback
                    }
                });
            taken.insert(name.clone());
            out.insert(key.clone(), name);
        }
        out
    }
}

/// Whether two accessor parameter lists are the same (descriptions may differ).
fn same_names(a: &[Param], b: &[Param]) -> bool {
    let key = |p: &Param| (p.wire_name.clone(), p.ty.clone(), p.constraints.clone());
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| key(x) == key(y))
}

/// A date or date-time inside an array or map (models decode those only directly).
fn nested_date(t: &Type) -> bool {
    match t {
        Type::Array(i) | Type::Map(i) => {
            matches!(**i, Type::DateTime | Type::Date) || nested_date(i)
        }
        _ => false,
    }
}

/// `Map(...Date...)`: `time` values inside maps have no wire format here.
fn contains_map_of_dates(t: &Type) -> bool {
    fn has_date(t: &Type) -> bool {
        match t {
            Type::DateTime | Type::Date => true,
            Type::Array(i) | Type::Map(i) => has_date(i),
            _ => false,
        }
    }
    match t {
        Type::Map(inner) => has_date(inner),
        Type::Array(inner) => contains_map_of_dates(inner),
        _ => false,
    }
}

/// Objects with properties and string enums become named types; everything else is inline.
fn is_named_kind(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(openapiv3::Type::Object(o)) => !o.properties.is_empty(),
        _ => false,
    }
}

/// `flex.v2.flex_user` -> `flex_user`: the part after `domain.version.`.
fn component_type_base(component: &str) -> String {
    let parts: Vec<&str> = component.split('.').collect();
    if parts.len() >= 3 {
        parts[2..].join("_")
    } else {
        component.to_string()
    }
}

/// `FetchFlexUserResponse` -> `FetchFlexUser` for naming a bare `Sid` field.
fn strip_suffix_words(ctx: &str) -> &str {
    ctx.strip_suffix("Sid").unwrap_or(ctx)
}

/// `^FU[0-9a-fA-F]{32}$` -> `["FU"]`; `^(SM|MM)[0-9a-fA-F]{32}$` -> `["MM", "SM"]`.
fn sid_prefixes(pattern: &str) -> Option<Vec<String>> {
    let body = pattern
        .strip_prefix('^')?
        .strip_suffix("[0-9a-fA-F]{32}$")?;
    let alts = body
        .strip_prefix('(')
        .and_then(|b| b.strip_suffix(')'))
        .unwrap_or(body);
    let mut prefixes: Vec<String> = alts.split('|').map(String::from).collect();
    let ok = prefixes
        .iter()
        .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()));
    prefixes.sort();
    prefixes.dedup();
    ok.then_some(prefixes)
}

/// Parameter names: inequality suffixes read as words (`StartTime<` -> `start_time_before`).
fn param_name(wire: &str) -> String {
    let spelled = if let Some(base) = wire.strip_suffix('<') {
        format!("{base} before")
    } else if let Some(base) = wire.strip_suffix('>') {
        format!("{base} after")
    } else {
        wire.to_string()
    };
    let name = snake(&spelled);
    // Builder methods and fields the generated code already uses.
    if ["send", "client", "req"].contains(&name.as_str()) {
        format!("{name}_param")
    } else {
        name
    }
}

/// Gives each parameter a Rust name distinct from the accessor's and from each other.
fn dedupe_rust_names(accessor: &[Param], params: &mut [Param]) {
    let mut used: BTreeSet<String> = accessor.iter().map(|p| p.rust_name.clone()).collect();
    for p in params {
        let base = unraw(&p.rust_name).to_string();
        let mut n = 2;
        while !used.insert(p.rust_name.clone()) {
            p.rust_name = format!("{base}_{n}");
            n += 1;
        }
    }
}

fn unbox_ref(r: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match r {
        ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// The members of a schema openapiv3 could not classify that would constrain or shape the value.
fn any_schema_members(any: &openapiv3::AnySchema) -> Vec<&'static str> {
    [
        (any.typ.is_some(), "type"),
        (any.format.is_some(), "format"),
        (any.pattern.is_some(), "pattern"),
        (!any.properties.is_empty(), "properties"),
        (any.additional_properties.is_some(), "additionalProperties"),
        (any.items.is_some(), "items"),
        (!any.enumeration.is_empty(), "enum"),
        (
            any.min_length.is_some() || any.max_length.is_some(),
            "minLength",
        ),
        (any.minimum.is_some() || any.maximum.is_some(), "minimum"),
        (!any.one_of.is_empty(), "oneOf"),
        (!any.all_of.is_empty(), "allOf"),
        (!any.any_of.is_empty(), "anyOf"),
        (any.not.is_some(), "not"),
    ]
    .into_iter()
    .filter_map(|(present, name)| present.then_some(name))
    .collect()
}

/// The checks a parameter's schema asks for, given the Rust type it lowered to.
/// A constraint the client cannot check (a non-SID pattern needs a regex engine;
/// `multipleOf`, numeric enums, ...) is an error rather than ignored.
fn param_constraints(schema: &Schema, ty: &Type, at: &At) -> Result<Constraints> {
    let mut c = Constraints::default();
    let unsupported = |member: &str, what: String| {
        Err(at.push(member).error(format!(
            "unsupported construct on a request parameter: {what}"
        )))
    };
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => {
            if let Some(p) = &s.pattern {
                if sid_prefixes(p).is_none() {
                    return unsupported("pattern", format!("pattern `{p}`; only SID patterns (`^XX[0-9a-fA-F]{{32}}$`) are checked client-side"));
                }
                // The SID newtype checks the length too.
                return Ok(c);
            }
            if (s.min_length.is_some() || s.max_length.is_some()) && *ty != Type::String {
                return unsupported(
                    "maxLength",
                    format!("length limits on a value typed as {ty:?}"),
                );
            }
            c.min_length = s.min_length.map(|n| n as u64);
            c.max_length = s.max_length.map(|n| n as u64);
        }
        SchemaKind::Type(openapiv3::Type::Integer(i)) => {
            if i.multiple_of.is_some() {
                return unsupported("multipleOf", "`multipleOf`".into());
            }
            if !i.enumeration.is_empty() {
                return unsupported("enum", "an integer `enum`".into());
            }
            let fits = |v: i64| *ty != Type::I32 || i32::try_from(v).is_ok();
            for (member, bound) in [("minimum", i.minimum), ("maximum", i.maximum)] {
                if bound.is_some_and(|v| !fits(v)) {
                    return Err(at
                        .push(member)
                        .error("bound does not fit the parameter's `int32` type"));
                }
            }
            c.minimum = i.minimum.map(|v| Bound {
                value: v.to_string(),
                exclusive: i.exclusive_minimum,
            });
            c.maximum = i.maximum.map(|v| Bound {
                value: v.to_string(),
                exclusive: i.exclusive_maximum,
            });
        }
        SchemaKind::Type(openapiv3::Type::Number(n)) => {
            if n.multiple_of.is_some() {
                return unsupported("multipleOf", "`multipleOf`".into());
            }
            if !n.enumeration.is_empty() {
                return unsupported("enum", "a number `enum`".into());
            }
            c.minimum = n.minimum.map(|v| Bound {
                value: float_text(v),
                exclusive: n.exclusive_minimum,
            });
            c.maximum = n.maximum.map(|v| Bound {
                value: float_text(v),
                exclusive: n.exclusive_maximum,
            });
        }
        SchemaKind::Type(openapiv3::Type::Array(a)) => {
            if a.unique_items {
                return unsupported("uniqueItems", "`uniqueItems: true`".into());
            }
            c.min_items = a.min_items.map(|n| n as u64);
            c.max_items = a.max_items.map(|n| n as u64);
        }
        SchemaKind::Type(openapiv3::Type::Object(o))
            if o.min_properties.is_some() || o.max_properties.is_some() =>
        {
            return unsupported("maxProperties", "`minProperties`/`maxProperties`".into());
        }
        _ => {}
    }
    Ok(c)
}

/// Constraints on the items of an array parameter: only what the item type
/// itself guarantees (a SID's pattern and length) can be honoured.
fn check_item_constraints(items: &Schema, at: &At) -> Result<()> {
    let unsupported = |member: &str| {
        Err(at.push(member).error(format!(
            "unsupported construct: `{member}` on the items of a request parameter"
        )))
    };
    match &items.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => match &s.pattern {
            Some(p) if sid_prefixes(p).is_some() => Ok(()),
            Some(_) => unsupported("pattern"),
            None if s.min_length.is_some() => unsupported("minLength"),
            None if s.max_length.is_some() => unsupported("maxLength"),
            None => Ok(()),
        },
        SchemaKind::Type(openapiv3::Type::Integer(i))
            if i.minimum.is_some() || i.maximum.is_some() =>
        {
            unsupported("minimum")
        }
        SchemaKind::Type(openapiv3::Type::Number(n))
            if n.minimum.is_some() || n.maximum.is_some() =>
        {
            unsupported("minimum")
        }
        _ => Ok(()),
    }
}

/// A float as Rust literal text that always has a decimal point.
fn float_text(v: f64) -> String {
    let s = format!("{v:?}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
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
            if let ModelKind::Struct { fields } = &m.kind {
                let to = fields.iter().filter_map(|f| direct(&f.ty)).collect();
                edges.insert((v.module.clone(), m.name.clone()), to);
            }
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
            if let ModelKind::Struct { fields } = &mut m.kind {
                for f in fields {
                    f.boxed = direct(&f.ty).is_some_and(|to| reaches(&to, &me));
                }
            }
        }
    }
}

/// Replaces SID prefix keys (`FU`) with their chosen type names (`FlexUserSid`).
fn rename_sids(v: &mut Version, names: &BTreeMap<String, String>) {
    fn fix(t: &mut Type, names: &BTreeMap<String, String>) {
        match t {
            Type::Sid(key) => *key = names[key.as_str()].clone(),
            Type::Array(inner) | Type::Map(inner) => fix(inner, names),
            _ => {}
        }
    }
    for r in &mut v.resources {
        for p in &mut r.params {
            fix(&mut p.ty, names);
        }
        for op in &mut r.operations {
            for p in &mut op.params {
                fix(&mut p.ty, names);
            }
            if let Some(t) = &mut op.response.body {
                fix(t, names);
            }
        }
    }
    for m in &mut v.models {
        if let ModelKind::Struct { fields } = &mut m.kind {
            for f in fields {
                fix(&mut f.ty, names);
            }
        }
    }
}
