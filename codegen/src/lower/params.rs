//! Lowering of request parameters and bodies, and the client-side checks they carry.

use super::schema::{sid_prefixes, string_format, unbox_ref};
use super::{resolve_ref, At, Lowerer};
use crate::error::Result;
use crate::ir::{BodyEncoding, Bound, Constraints, Location, Param, SidShape, Type};
use crate::names::{camel, snake, unraw};
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind};
use std::collections::BTreeSet;

impl<'a> Lowerer<'a> {
    /// One `parameters` list, resolved. A parameter is identified by its name and
    /// location, and a list may name each one only once.
    fn resolve_params<'p>(
        &self,
        list: &'p [ReferenceOr<Parameter>],
        at: &At,
    ) -> Result<Vec<(&'p Parameter, At)>>
    where
        'a: 'p,
    {
        let key = |q: &Parameter| {
            (
                q.parameter_data_ref().name.clone(),
                std::mem::discriminant(q),
            )
        };
        let mut level: Vec<(&'p Parameter, At)> = vec![];
        for (n, p) in list.iter().enumerate() {
            let (p, p_at) = resolve_ref(
                p,
                &at.push("parameters").push(n),
                "parameters",
                &self.merged.components.parameters,
            )?;
            if level.iter().any(|(q, _)| key(q) == key(p)) {
                let name = &p.parameter_data_ref().name;
                return Err(p_at.error(format!(
                    "parameter `{name}` is listed twice in the same location"
                )));
            }
            level.push((p, p_at));
        }
        Ok(level)
    }

    pub(super) fn lower_params(
        &mut self,
        module: &str,
        builder: &str,
        path_level: &[ReferenceOr<Parameter>],
        op_level: &[ReferenceOr<Parameter>],
        path_at: &At,
        op_at: &At,
    ) -> Result<Vec<Param>> {
        // Operation-level parameters override path-level ones with the same name and location.
        let key = |q: &Parameter| {
            (
                q.parameter_data_ref().name.clone(),
                std::mem::discriminant(q),
            )
        };
        let mut all = self.resolve_params(path_level, path_at)?;
        // Operation-level parameters override path-level ones.
        for (p, at) in self.resolve_params(op_level, op_at)? {
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
            let mut param = self.lower_param(
                module,
                &ctx,
                &data.name,
                location,
                required,
                data.description.as_deref(),
                schema,
                &at.push("schema"),
            )?;
            // The parameter's own example is more specific than its schema's.
            let own = data.example.clone().or_else(|| {
                data.examples.values().find_map(|e| match e {
                    ReferenceOr::Item(e) => e.value.clone(),
                    ReferenceOr::Reference { .. } => None,
                })
            });
            if let Some(e) = own {
                param.example = Some(e.to_string());
            }
            // `explode: false` would join a list's values with commas; Twilio's
            // SDKs send lists as repeated keys. On a single value it changes nothing.
            if matches!(p, Parameter::Query { .. }) && data.explode == Some(false) {
                let (resolved, _) = self.resolve_schema_ref(schema, &at.push("schema"))?;
                let single = matches!(
                    resolved.schema_kind,
                    SchemaKind::Type(
                        openapiv3::Type::String(_)
                            | openapiv3::Type::Integer(_)
                            | openapiv3::Type::Number(_)
                            | openapiv3::Type::Boolean(_)
                    )
                );
                if !single {
                    return Err(at.push("explode").error(
                        "unsupported construct: `explode: false` on a list or object query parameter; lists are sent as repeated keys",
                    ));
                }
            }
            out.push(param);
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn lower_param(
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
        // A bare `{Sid}` placeholder names nothing: the resource it identifies is
        // named by the model's own `sid` field (`FlexTeam` -> `FlexTeamSid`).
        let hint = (camel(wire_name) != "Sid").then_some(wire_name);
        let ty = self.schema_type(module, ctx, hint, schema, at)?;
        let mut constraints = param_constraints(resolved, &ty, &resolved_at)?;
        let mut example = resolved.schema_data.example.clone();
        if let SchemaKind::Type(openapiv3::Type::Array(openapiv3::ArrayType {
            items: Some(items),
            ..
        })) = &resolved.schema_kind
        {
            let items = unbox_ref(items);
            let (items, items_at) = self.resolve_schema_ref(&items, &resolved_at.push("items"))?;
            // A list whose items carry the example: a list of that one item.
            if example.is_none() {
                example = items
                    .schema_data
                    .example
                    .clone()
                    .map(|e| serde_json::Value::Array(vec![e]));
            }
            let each = check_item_constraints(items, &items_at)?;
            constraints.any_sid = each.any_sid;
            constraints.pattern = each.pattern;
            constraints.min_length = each.min_length;
            constraints.max_length = each.max_length;
        }
        if contains_rfc2822(&ty) {
            return Err(at.push("format").error(
                "unsupported construct: `date-time-rfc-2822` on a request parameter; Twilio's SDKs send ISO 8601 (`date-time`)",
            ));
        }
        // Pairs under a prefix exist only where parameters are pairs.
        if matches!(ty, Type::CollapsibleMap { .. })
            && matches!(location, Location::Path | Location::Header)
        {
            return Err(at.push("format").error(
                "unsupported construct: a `prefixed-collapsible-map` path or header parameter; expected a query or form parameter",
            ));
        }
        if contains_map_of_dates(&ty) {
            return Err(
                at.error("unsupported construct: dates or date-times inside a map parameter")
            );
        }
        let description = description
            .filter(|d| !d.trim().is_empty())
            .or_else(|| self.ref_siblings(at).and_then(|s| s.description.as_deref()))
            .or(resolved.schema_data.description.as_deref())
            .unwrap_or("")
            .to_string();
        // A header the client sets itself gets a name that says it is the raw header,
        // and a note that it replaces the client's own value.
        let managed = location == Location::Header
            && CLIENT_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(wire_name));
        let (rust_name, description) = if managed {
            let note = if wire_name.eq_ignore_ascii_case("authorization") {
                "When set, this header is sent instead of the client's Basic credentials."
            } else {
                "When set, it replaces the value the client would send."
            };
            let sep = if description.is_empty() { "" } else { "\n\n" };
            (
                format!("{}_header", unraw(&param_name(wire_name))),
                format!("{description}{sep}{note}"),
            )
        } else {
            (param_name(wire_name), description)
        };
        Ok(Param {
            wire_name: wire_name.to_string(),
            rust_name,
            location,
            ty,
            required,
            doc: description,
            constraints,
            // A list's is its items' (as its length and pattern constraints are).
            format: string_format(resolved).or_else(|| item_format(resolved)),
            example: example.map(|e| e.to_string()),
        })
    }

    pub(super) fn lower_body(
        &mut self,
        module: &str,
        builder: &str,
        op: &openapiv3::Operation,
        at: &At,
    ) -> Result<(Option<BodyEncoding>, Vec<Param>)> {
        let Some(body) = &op.request_body else {
            return Ok((None, vec![]));
        };
        let (body, at) = resolve_ref(
            body,
            &at.push("requestBody"),
            "requestBodies",
            &self.merged.components.request_bodies,
        )?;
        // Several content types are fine when they are all JSON and one is plain
        // `application/json`: that one is sent.
        let chosen = match body.content.len() {
            1 => body.content.first(),
            _ if body.content.keys().all(|ct| super::is_json_media_type(ct)) => {
                body.content.get_key_value("application/json")
            }
            _ => None,
        };
        let Some((content_type, media)) = chosen else {
            return Err(at.push("content").error(format!(
                "expected one request content type (or several JSON ones including application/json), found `{}`",
                body.content.keys().cloned().collect::<Vec<_>>().join("`, `")
            )));
        };
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
        let (resolved, schema_at) = self.resolve_schema_ref(schema, &media_at.push("schema"))?;
        // A JSON body that is a `oneOf` or `allOf` of objects is one typed value:
        // the enum or merged struct the schema lowers to, sent as the whole body.
        if encoding == BodyEncoding::Json
            && matches!(
                resolved.schema_kind,
                SchemaKind::OneOf { .. } | SchemaKind::AllOf { .. }
            )
        {
            let ty = self.schema_type(
                module,
                &format!("{builder}Body"),
                None,
                schema,
                &media_at.push("schema"),
            )?;
            // Only objects can be the whole body: every alternative must be one.
            if let Type::Model { module: m, name } = &ty {
                if let Some(crate::ir::Model {
                    kind: crate::ir::ModelKind::OneOf { variants, .. },
                    ..
                }) = self.models.get(m).and_then(|ms| ms.get(name))
                {
                    let is_object = |t: &Type| match t {
                        Type::Map(_) => true,
                        Type::Model { module, name } => matches!(
                            self.models.get(module).and_then(|ms| ms.get(name)),
                            Some(crate::ir::Model {
                                kind: crate::ir::ModelKind::Struct { .. },
                                ..
                            })
                        ),
                        _ => false,
                    };
                    if let Some(v) = variants.iter().find(|v| !is_object(&v.ty)) {
                        return Err(schema_at.push("oneOf").error(format!(
                            "unsupported request body: alternative `{}` is not an object; expected a `oneOf` of objects",
                            v.name
                        )));
                    }
                }
            }
            let doc = resolved
                .schema_data
                .description
                .clone()
                .unwrap_or_else(|| "The JSON document sent as the request body.".into());
            let param = Param {
                wire_name: "body".into(),
                rust_name: "body".into(),
                location: Location::Body,
                ty,
                required: body.required,
                doc,
                constraints: Default::default(),
                format: None,
                example: None,
            };
            return Ok((Some(BodyEncoding::JsonDocument), vec![param]));
        }
        let schema = resolved;
        let SchemaKind::Type(openapiv3::Type::Object(obj)) = &schema.schema_kind else {
            return Err(schema_at
                .error("unsupported request body schema: expected an object with `properties`"));
        };
        // A JSON body with no listed members is free-form: the caller passes the
        // whole document (Twilio's `{"type": "object", "properties": {}}` bodies).
        if encoding == BodyEncoding::Json && obj.properties.is_empty() {
            if let Some(r) = obj.required.first() {
                return Err(schema_at
                    .push("required")
                    .error(format!("required property `{r}` is not among `properties`")));
            }
            let value = match &obj.additional_properties {
                Some(openapiv3::AdditionalProperties::Schema(s)) => {
                    let value_at = schema_at.push("additionalProperties");
                    let t = self.schema_type(module, &format!("{builder}BodyValue"), None, s, &value_at)?;
                    if contains_rfc2822(&t) || matches!(t, Type::DateTime | Type::Date) || contains_map_of_dates(&t) {
                        return Err(value_at.error("unsupported construct: dates or date-times as the values of a free-form request body"));
                    }
                    t
                }
                Some(openapiv3::AdditionalProperties::Any(false)) => {
                    return Err(schema_at.push("additionalProperties").error(
                        "a JSON request body with no `properties` and `additionalProperties: false` can only be `{}`; expected properties",
                    ))
                }
                _ => Type::Any,
            };
            let doc = schema
                .schema_data
                .description
                .clone()
                .or_else(|| {
                    schema
                        .schema_data
                        .title
                        .clone()
                        .map(|t| format!("The `{t}` JSON object."))
                })
                .unwrap_or_else(|| "The JSON object sent as the request body.".into());
            let param = Param {
                wire_name: "body".into(),
                rust_name: "body".into(),
                location: Location::Body,
                ty: Type::Map(Box::new(value)),
                required: body.required,
                doc,
                constraints: Default::default(),
                format: None,
                example: None,
            };
            return Ok((Some(BodyEncoding::JsonDocument), vec![param]));
        }
        // `additionalProperties: false` (a closed object) is what the named
        // parameters already are.
        if obj.additional_properties.is_some()
            && obj.additional_properties != Some(openapiv3::AdditionalProperties::Any(false))
        {
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
        // `required` may name a member `properties` does not describe (valid JSON
        // Schema: it must be present, with any value). It is a required argument:
        // any JSON value in a JSON body, text in a form (all a form can carry).
        for (i, r) in obj.required.iter().enumerate() {
            if obj.properties.contains_key(r) {
                continue;
            }
            let at = schema_at.push("required").push(i);
            if obj.additional_properties == Some(openapiv3::AdditionalProperties::Any(false)) {
                return Err(at.error(format!(
                    "required property `{r}` is not among `properties`, and `additionalProperties: false` forbids any other; expected it among `properties`"
                )));
            }
            let schema_kind = if encoding == BodyEncoding::Json {
                SchemaKind::Any(Default::default())
            } else {
                SchemaKind::Type(openapiv3::Type::String(Default::default()))
            };
            let undescribed = ReferenceOr::Item(Schema {
                schema_data: openapiv3::SchemaData {
                    description: Some(
                        "Required by the spec, which does not describe its value.".into(),
                    ),
                    ..Default::default()
                },
                schema_kind,
            });
            let ctx = format!("{builder}{}", camel(r));
            let p = self.lower_param(
                module,
                &ctx,
                r,
                Location::Body,
                true,
                None,
                &undescribed,
                &at,
            )?;
            params.push(p);
        }
        Ok((Some(encoding), params))
    }
}

/// Only the serialisations Twilio's SDKs use are supported: query `form` with
/// `explode` (lists as repeated keys), path and header `simple`.
pub(super) fn check_serialization(p: &Parameter, at: &At) -> Result<()> {
    use openapiv3::{PathStyle, QueryStyle};
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
            // `explode` only matters for lists and objects (checked once the
            // parameter's type is known, in `lower_params`).
        }
        Parameter::Path { style, .. } if !matches!(style, PathStyle::Simple) => {
            return unsupported("style", "a path `style` other than `simple`");
        }
        _ => {}
    }
    Ok(())
}

/// RFC 9110 token characters.
pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Headers the generated client writes itself.
const CLIENT_HEADERS: &[&str] = &["Authorization", "Accept", "Content-Type", "User-Agent"];

/// Parameter names: inequality suffixes read as words (`StartTime<` -> `start_time_before`).
pub(super) fn param_name(wire: &str) -> String {
    let spelled = if let Some(base) = wire.strip_suffix('<') {
        format!("{base} before")
    } else if let Some(base) = wire.strip_suffix('>') {
        format!("{base} after")
    } else {
        wire.to_string()
    };
    let name = snake(&spelled);
    // Builder methods and fields the generated code already uses.
    const TAKEN: &[&str] = &[
        "send",
        "send_with_meta",
        "stream",
        "get_page",
        "into_request",
        "client",
        "req",
        "options",
        "retry",
        "request_timeout",
    ];
    if TAKEN.contains(&name.as_str()) {
        format!("{name}_param")
    } else {
        name
    }
}

/// Gives each parameter a Rust name distinct from the accessor's and from each
/// other. A query, header or body parameter named like another parameter is
/// named for where it goes (`account_sid_body` beside the path's `account_sid`),
/// which no other parameter can change; only two of one name in one place
/// (`Foo-Bar` and `FooBar` in one query) are numbered: the one spelled as
/// Twilio spells parameters (`FooBar`, UpperCamelCase) first, wherever it is
/// listed, so that a parameter added before it renames nothing; then in spec
/// order.
pub(super) fn dedupe_rust_names(accessor: &[Param], params: &mut [Param]) {
    // The path's own parameter comes first in `params`, before any other.
    let mut used: BTreeSet<String> = accessor.iter().map(|p| p.rust_name.clone()).collect();
    let conventional = |p: &Param| {
        p.location == Location::Path || crate::names::camel(&p.wire_name) == p.wire_name
    };
    let (first, rest): (Vec<&mut Param>, Vec<&mut Param>) =
        params.iter_mut().partition(|p| conventional(p));
    for p in first.into_iter().chain(rest) {
        let base = unraw(&p.rust_name).to_string();
        if used.insert(p.rust_name.clone()) {
            continue;
        }
        let base = match p.location {
            Location::Path => base,
            Location::Query => format!("{base}_query"),
            Location::Header => format!("{base}_header"),
            Location::Body => format!("{base}_body"),
        };
        p.rust_name = base.clone();
        let mut n = 2;
        while !used.insert(p.rust_name.clone()) {
            p.rust_name = format!("{base}_{n}");
            n += 1;
        }
    }
}

/// The checks a parameter's schema asks for, given the Rust type it lowered to.
/// A constraint the client cannot check (a non-SID pattern needs a regex engine;
/// `multipleOf`, numeric enums, ...) is an error rather than ignored.
pub(super) fn param_constraints(schema: &Schema, ty: &Type, at: &At) -> Result<Constraints> {
    let mut c = Constraints::default();
    let unsupported = |member: &str, what: String| {
        Err(at.push(member).error(format!(
            "unsupported construct on a request parameter: {what}"
        )))
    };
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => {
            if let Some(p) = &s.pattern {
                if let Some(shape) = any_sid_shape(p) {
                    // The shape fixes the length too.
                    c.any_sid = Some(shape);
                    return Ok(c);
                }
                if sid_prefixes(p).is_some() {
                    // The SID newtype checks the length too.
                    return Ok(c);
                }
                if *ty != Type::String {
                    return unsupported("pattern", format!("a pattern on a value typed as {ty:?}"));
                }
                check_pattern(p, &at.push("pattern"))?;
                c.pattern = Some(p.clone());
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
            // A `type: number` with an integer format is checked as that integer.
            let integer = matches!(ty, Type::I32 | Type::I64);
            let text = |member: &str, v: f64| -> Result<String> {
                if !integer {
                    return Ok(float_text(v));
                }
                let fits = v.fract() == 0.0
                    && if *ty == Type::I32 {
                        (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&v)
                    } else {
                        (-9.0e15..=9.0e15).contains(&v)
                    };
                if !fits {
                    return Err(at
                        .push(member)
                        .error("bound is not an integer of the parameter's format"));
                }
                Ok(format!("{}", v as i64))
            };
            c.minimum = match n.minimum {
                Some(v) => Some(Bound {
                    value: text("minimum", v)?,
                    exclusive: n.exclusive_minimum,
                }),
                None => None,
            };
            c.maximum = match n.maximum {
                Some(v) => Some(Bound {
                    value: text("maximum", v)?,
                    exclusive: n.exclusive_maximum,
                }),
                None => None,
            };
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
            // A map's size is checked like a list's; a struct's members are fixed.
            if !matches!(ty, Type::Map(_)) {
                return unsupported(
                    "maxProperties",
                    "`minProperties`/`maxProperties` on an object with named properties".into(),
                );
            }
            c.min_items = o.min_properties.map(|n| n as u64);
            c.max_items = o.max_properties.map(|n| n as u64);
        }
        _ => {}
    }
    Ok(c)
}

/// What is checked on each item of a list parameter.
#[derive(Default)]
pub(super) struct ItemChecks {
    pub any_sid: Option<SidShape>,
    pub pattern: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
}

/// A `pattern` the generated client can check: it parses as the `regex` crate
/// reads patterns (no look-around or back-references).
fn check_pattern(pattern: &str, at: &At) -> Result<()> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .map(drop)
        .map_err(|e| {
            at.error(format!(
                "unsupported construct: pattern `{pattern}` cannot be checked client-side: {}",
                e.to_string().lines().last().unwrap_or_default().trim()
            ))
        })
}

/// Constraints on the items of an array parameter: what the item type itself
/// guarantees (a SID's pattern and length), an untyped SID's shape, or a
/// `pattern`, returned to be checked on each item.
pub(super) fn check_item_constraints(items: &Schema, at: &At) -> Result<ItemChecks> {
    let unsupported = |member: &str| {
        Err(at.push(member).error(format!(
            "unsupported construct: `{member}` on the items of a request parameter"
        )))
    };
    match &items.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => match &s.pattern {
            Some(p) if sid_prefixes(p).is_some() => Ok(ItemChecks::default()),
            Some(p) if any_sid_shape(p).is_some() => Ok(ItemChecks {
                any_sid: any_sid_shape(p),
                ..ItemChecks::default()
            }),
            pattern => {
                if let Some(p) = pattern {
                    check_pattern(p, &at.push("pattern"))?;
                }
                Ok(ItemChecks {
                    any_sid: None,
                    pattern: pattern.clone(),
                    min_length: s.min_length.map(|n| n as u64),
                    max_length: s.max_length.map(|n| n as u64),
                })
            }
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
        _ => Ok(ItemChecks::default()),
    }
}

/// The shape of an untyped SID pattern, as Twilio writes it.
fn any_sid_shape(pattern: &str) -> Option<SidShape> {
    match pattern {
        "^[A-Z]{2}[0-9a-fA-F]{32}$" => Some(SidShape::Uppercase),
        "^[a-zA-Z]{2}[0-9a-fA-F]{32}$" | "^[A-Za-z]{2}[0-9a-fA-F]{32}$" => Some(SidShape::AnyCase),
        _ => None,
    }
}

/// A float as Rust literal text that always has a decimal point.
pub(super) fn float_text(v: f64) -> String {
    let s = format!("{v:?}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

/// `Map(...Date...)`: `time` values inside maps have no wire format here.
pub(super) fn contains_map_of_dates(t: &Type) -> bool {
    pub(super) fn has_date(t: &Type) -> bool {
        match t {
            Type::DateTime | Type::Date | Type::DateTimeRfc2822 => true,
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

/// Whether `t` is or holds an RFC 2822 date-time.
fn contains_rfc2822(t: &Type) -> bool {
    match t {
        Type::DateTimeRfc2822 => true,
        Type::Array(i) | Type::Map(i) => contains_rfc2822(i),
        _ => false,
    }
}

/// The string `format` of an array schema's inline items (`MediaUrl`: a list of `uri`).
fn item_format(schema: &openapiv3::Schema) -> Option<String> {
    let openapiv3::SchemaKind::Type(openapiv3::Type::Array(a)) = &schema.schema_kind else {
        return None;
    };
    match a.items.as_ref()? {
        openapiv3::ReferenceOr::Item(item) => string_format(item),
        openapiv3::ReferenceOr::Reference { .. } => None,
    }
}
