//! Load: read one spec file and parse it as OpenAPI 3.0 without losing anything.

use crate::error::{Error, Pointer, Result};
use openapiv3::OpenAPI;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One parsed spec file.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The path the spec was read from, as given (used in every error).
    pub file: PathBuf,
    pub doc: OpenAPI,
    /// `description` and `nullable` written beside a schema `$ref`, by the JSON
    /// pointer of the `$ref` object (see [`RefSiblings`]).
    pub ref_siblings: BTreeMap<String, RefSiblings>,
    /// The `format` of each `type: object` schema (Twilio's `uri-map`,
    /// `phone-number-capabilities`, …), by the schema's JSON pointer. OpenAPI
    /// defines no object formats and openapiv3 cannot hold one.
    pub object_formats: BTreeMap<String, String>,
}

/// What Twilio writes beside a `$ref` to a schema (`{"$ref": …, "nullable": true,
/// "description": …}`). OpenAPI 3.0 says a `$ref`'s siblings are ignored, and
/// openapiv3 drops them; Twilio means them (a nullable reference, documented in
/// place), so the loader keeps them here and the lowering applies them.
///
/// Also taken: a `type` (Twilio restates the target's; the lowering checks that
/// it agrees), `x-twilio.pii` (honoured), and what only documents or steers
/// other languages' generators: `example`, `examples` and other `x-…`
/// extensions (`x-jvm-type`), which have no effect on a Rust client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefSiblings {
    pub description: Option<String>,
    pub nullable: bool,
    /// The `$ref` they stand beside.
    pub reference: String,
    /// A `type` restated beside the `$ref`.
    pub type_: Option<String>,
    /// `x-twilio: {pii: …}` beside the `$ref`: the field is personal data.
    pub pii: bool,
}

/// Reads and parses `file`.
pub fn load_file(file: &Path) -> Result<Spec> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::new(file, "", format!("cannot read the spec file: {e}")))?;
    parse(file, &text)
}

/// Parses `text` as the contents of `file`.
pub fn parse(file: &Path, text: &str) -> Result<Spec> {
    parse_value(file, decode(file, text)?)
}

/// Whether `file` is named as a spec: `.json`, `.yaml` or `.yml`.
pub fn is_spec_file(file: &Path) -> bool {
    spec_format(file).is_some()
}

/// `Some(true)` for a YAML file name, `Some(false)` for JSON, else `None`.
fn spec_format(file: &Path) -> Option<bool> {
    let ext = file.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "yaml" | "yml" => Some(true),
        "json" => Some(false),
        _ => None,
    }
}

/// `text` as a JSON value: YAML for a `.yaml`/`.yml` file, else JSON.
pub fn decode(file: &Path, text: &str) -> Result<Value> {
    if spec_format(file) == Some(true) {
        decode_yaml(file, text)
    } else {
        decode_json(file, text)
    }
}

/// `text` as YAML 1.2 (one document), turned into the JSON value the same spec
/// written as JSON would be: mapping keys become text (`200:` is `"200"`).
/// Aliases (`*name`) are an error: OpenAPI does not need them, and expanding
/// them unchecked lets a small file grow without bound.
fn decode_yaml(file: &Path, text: &str) -> Result<Value> {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::Marker;
    let at = |m: &Marker| format!("line {}, column {}", m.line(), m.col() + 1);
    let invalid = |e: yaml_rust2::ScanError| {
        Error::new(
            file,
            "",
            format!("invalid YAML at {}: {}", at(e.marker()), e.info()),
        )
    };
    struct FirstAlias(Option<Marker>);
    impl MarkedEventReceiver for FirstAlias {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            if matches!(ev, Event::Alias(_)) && self.0.is_none() {
                self.0 = Some(mark);
            }
        }
    }
    let mut text = std::borrow::Cow::Borrowed(text);
    let mut aliases = FirstAlias(None);
    let mut relaxed = 0;
    loop {
        aliases.0 = None;
        match Parser::new_from_str(&text).load(&mut aliases, true) {
            Ok(()) => break,
            Err(e) => match reindent_flow_closer(&text, &e) {
                Some(fixed) if relaxed < MAX_FLOW_CLOSERS => {
                    text = std::borrow::Cow::Owned(fixed);
                    relaxed += 1;
                }
                _ => return Err(invalid(e)),
            },
        }
    }
    if let Some(m) = aliases.0 {
        return Err(Error::new(
            file,
            "",
            format!(
                "unsupported construct: a YAML alias at {}; expected plain YAML",
                at(&m)
            ),
        ));
    }
    let mut docs = yaml_rust2::YamlLoader::load_from_str(&text).map_err(invalid)?;
    if docs.len() != 1 {
        return Err(Error::new(
            file,
            "",
            format!("expected one YAML document, found {}", docs.len()),
        ));
    }
    yaml_to_json(docs.remove(0), &Pointer::root())
        .map_err(|(ptr, what)| Error::new(file, &ptr, what))
}

/// How many closing `]`/`}` lines one file may have re-indented (each costs a
/// parse of the file).
const MAX_FLOW_CLOSERS: usize = 64;

/// YAML 1.2 wants every line of a flow collection indented past the key that
/// holds it, so a closing `]` or `}` on a line of its own at the key's own
/// indentation is invalid:
///
/// ```yaml
/// value:
///   credentials: [
///     {"sid": "CR…"}
///   ]
/// ```
///
/// libyaml, SnakeYAML and js-yaml accept it, and Twilio's own generator test
/// specs use it; yaml-rust2 rejects it (except after a plain scalar). Where the
/// parser's "invalid indentation" points at such a closer, first on its line,
/// this returns the text with one more space before it (whitespace that means
/// nothing inside a flow collection). Line numbers in later errors stay true.
fn reindent_flow_closer(text: &str, e: &yaml_rust2::ScanError) -> Option<String> {
    if e.info() != "invalid indentation" {
        return None;
    }
    let m = e.marker();
    let line_no = m.line().checked_sub(1)?;
    let mut out = String::with_capacity(text.len() + 1);
    let mut found = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == line_no {
            let indent = line.chars().take_while(|c| *c == ' ').count();
            let closer = line.trim_start_matches(' ').starts_with([']', '}']);
            if indent != m.col() || !closer {
                return None;
            }
            out.push(' ');
            found = true;
        }
        out.push_str(line);
    }
    found.then_some(out)
}

/// A YAML value as JSON, or the pointer and reason it has no JSON form.
fn yaml_to_json(y: yaml_rust2::Yaml, at: &Pointer) -> std::result::Result<Value, (String, String)> {
    use yaml_rust2::Yaml;
    let fail = |what: &str| Err((at.as_str().to_string(), what.to_string()));
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::from(i),
        Yaml::String(s) => Value::String(s),
        Yaml::Real(r) => match r.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            Some(n) => Value::Number(n),
            None => return fail(&format!("the YAML number `{r}` has no JSON form")),
        },
        Yaml::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                out.push(yaml_to_json(item, &at.push(i))?);
            }
            Value::Array(out)
        }
        Yaml::Hash(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s,
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    Yaml::Real(r) => r,
                    Yaml::Null => "null".to_string(),
                    _ => return fail("a YAML mapping key that is not a scalar; expected text"),
                };
                let value = yaml_to_json(v, &at.push(&key))?;
                if out.insert(key.clone(), value).is_some() {
                    return fail(&format!("duplicate key `{key}`"));
                }
            }
            Value::Object(out)
        }
        Yaml::Alias(_) | Yaml::BadValue => return fail("an unresolved YAML alias"),
    })
}

/// `text` as JSON, or an error naming line and column.
fn decode_json(file: &Path, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(
            file,
            "",
            format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Parses an already decoded JSON document as the contents of `file`.
pub fn parse_value(file: &Path, raw: Value) -> Result<Spec> {
    let (spec, check) = parse_unchecked(file, raw)?;
    check.run()?;
    Ok(spec)
}

/// Parses `text` as the contents of `file`, leaving the check that nothing was
/// lost for the caller to run (on another thread, while the spec is lowered).
pub fn parse_unchecked_text(file: &Path, text: &str) -> Result<(Spec, LosslessCheck)> {
    parse_unchecked(file, decode(file, text)?)
}

/// The check that openapiv3 kept every member of a spec: it ignores members it
/// does not model (OpenAPI 3.1 keywords, typos, ...), and anything it dropped
/// would silently vanish from the client, so that is an error. It compares the
/// input with the parsed spec written back as JSON.
#[must_use = "a spec is not known to be lossless until the check has run"]
pub struct LosslessCheck {
    file: PathBuf,
    input: Value,
    reserialized: Value,
}

impl LosslessCheck {
    /// The first member the parser dropped, as an error naming file and pointer.
    pub fn run(self) -> Result<()> {
        let Some((pointer, key, beside_ref)) =
            first_dropped(&self.input, &self.reserialized, &Pointer::root())
        else {
            return Ok(());
        };
        let message = if beside_ref {
            format!("unsupported construct: `{key}` beside `$ref` (OpenAPI 3.0 ignores a `$ref`'s siblings); expected a `$ref` alone, or with `description` or `nullable: true|false`")
        } else {
            format!(
                "unsupported construct `{key}`: not part of OpenAPI 3.0 as this generator reads it"
            )
        };
        Err(Error::new(&self.file, pointer.as_str(), message))
    }
}

/// Parses a decoded document; see [`parse_value`] and [`LosslessCheck`].
pub fn parse_unchecked(file: &Path, mut raw: Value) -> Result<(Spec, LosslessCheck)> {
    match raw.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") => {}
        Some(other) => {
            return Err(Error::new(
                file,
                "/openapi",
                format!("expected an OpenAPI 3.0.x version string, found {other}"),
            ))
        }
        None => {
            return Err(Error::new(
                file,
                "/openapi",
                "expected an OpenAPI 3.0 document: no `openapi` field",
            ))
        }
    }
    let mut ref_siblings = BTreeMap::new();
    let mut object_formats = BTreeMap::new();
    take_twilio_members(
        &mut raw,
        &Pointer::root(),
        &mut ref_siblings,
        &mut object_formats,
    );
    find_schemas(&mut raw);
    // The plain decode is the fast path; only a failure is decoded again with
    // path tracking, to say where it is.
    let decoded = match decode_openapi(&mut raw) {
        Ok(decoded) => decoded,
        Err(_) => {
            let doc: OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|e| {
                let (pointer, message) = refine(&raw, pointer_of(e.path()), e.inner().to_string());
                Error::new(file, pointer, format!("not valid OpenAPI 3.0: {message}"))
            })?;
            let reserialized = serde_json::to_value(&doc);
            (doc, reserialized)
        }
    };
    let (doc, reserialized) = decoded;
    let reserialized = reserialized.map_err(|e| {
        Error::new(
            file,
            "",
            format!("cannot re-serialize the parsed spec: {e}"),
        )
    })?;
    let check = LosslessCheck {
        file: file.to_path_buf(),
        input: raw,
        reserialized,
    };
    let spec = Spec {
        file: file.to_path_buf(),
        doc,
        ref_siblings,
        object_formats,
    };
    Ok((spec, check))
}

/// `OpenAPI::deserialize(raw)`, and the result written back as JSON (for the
/// [`LosslessCheck`]), with `components` decoded and written back on a second
/// thread while the rest (mostly `paths`) is on this one: openapiv3's schema
/// decoding (untagged and flattened enums) is slow, and for a large spec such as
/// api_v2010 the two halves are each about 15 ms.
#[allow(clippy::type_complexity)]
fn decode_openapi(
    raw: &mut Value,
) -> std::result::Result<(OpenAPI, serde_json::Result<Value>), serde_json::Error> {
    let Some(slot @ Value::Object(_)) = raw.get_mut("components") else {
        return decode_and_write_back(raw);
    };
    // Taken out for the other thread and put back after, in place: the rest
    // is decoded from `raw` itself, with `components: null`, without a copy.
    let components = std::mem::take(slot);
    let (rest, other) = std::thread::scope(|s| {
        let other = s.spawn(|| decode_and_write_back::<openapiv3::Components>(&components));
        let rest = decode_and_write_back::<OpenAPI>(raw);
        // A panic in the decoder is a panic here too.
        (
            rest,
            other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        )
    });
    raw["components"] = components;
    let ((mut doc, rest_value), (components, components_value)) = (rest?, other?);
    doc.components = Some(components);
    let value = match (rest_value, components_value) {
        (Ok(Value::Object(mut rest)), Ok(components)) => {
            rest.insert("components".into(), components);
            Ok(Value::Object(rest))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
        (Ok(_), Ok(_)) => serde_json::to_value(&doc),
    };
    Ok((doc, value))
}

/// `T` decoded from `value`, and written back as JSON.
#[allow(clippy::type_complexity)]
fn decode_and_write_back<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: &Value,
) -> std::result::Result<(T, serde_json::Result<Value>), serde_json::Error> {
    let decoded = T::deserialize(value)?;
    let written = serde_json::to_value(&decoded);
    Ok((decoded, written))
}

/// Applies [`normalize_schema`] to every schema of the document: the members of
/// `components.schemas` and every `schema` member (of parameters, media types,
/// headers). Examples are data, not schemas, and are left alone.
fn find_schemas(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, c) in map.iter_mut() {
                match k.as_str() {
                    "schema" => normalize_schema(c),
                    "schemas" => {
                        if let Value::Object(schemas) = c {
                            schemas.values_mut().for_each(normalize_schema);
                        }
                    }
                    "example" | "examples" => {}
                    _ => find_schemas(c),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(find_schemas),
        _ => {}
    }
}

/// Says what Twilio's specs mean where they leave it implicit, recursively:
/// - a schema with `properties` or `additionalProperties` but no `type` (and no
///   `oneOf`, `allOf`, `anyOf`, `not`, `items` or `enum`) is `type: object`;
/// - a schema with `items` but no `type` (and none of those others) is `type: array`;
/// - `type: object` beside a `oneOf` (with no members of its own) is dropped:
///   the alternatives say what the value is, and openapiv3 cannot hold both;
/// - `properties` and/or `required` beside an `allOf` become its last part.
fn normalize_schema(schema: &mut Value) {
    let Value::Object(m) = schema else {
        return;
    };
    if m.contains_key("$ref") {
        return;
    }
    // `allOf` with `properties` of its own (and no `type`): those members are
    // one more part to combine.
    if m.contains_key("allOf")
        && (m.contains_key("properties") || m.contains_key("required"))
        && !m.contains_key("type")
    {
        let mut part = serde_json::Map::new();
        part.insert("type".into(), Value::from("object"));
        for k in ["properties", "required", "additionalProperties"] {
            if let Some(v) = m.shift_remove(k) {
                part.insert(k.into(), v);
            }
        }
        if let Some(Value::Array(parts)) = m.get_mut("allOf") {
            parts.push(Value::Object(part));
        }
    }
    let composite = ["oneOf", "allOf", "anyOf", "not", "items", "enum"]
        .iter()
        .any(|k| m.contains_key(*k));
    let members = m.contains_key("properties") || m.contains_key("additionalProperties");
    if !m.contains_key("type") && members && !composite {
        m.insert("type".into(), Value::from("object"));
    }
    // `items` with no `type` (and nothing else that would shape the value) is a list.
    let other_shape = ["oneOf", "allOf", "anyOf", "not", "enum"]
        .iter()
        .any(|k| m.contains_key(*k));
    if !m.contains_key("type") && m.contains_key("items") && !members && !other_shape {
        m.insert("type".into(), Value::from("array"));
    }
    if m.get("type").and_then(Value::as_str) == Some("object")
        && m.contains_key("oneOf")
        && !members
    {
        m.shift_remove("type");
    }
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        props.values_mut().for_each(normalize_schema);
    }
    for k in ["items", "additionalProperties", "not"] {
        if let Some(c) = m.get_mut(k) {
            normalize_schema(c);
        }
    }
    for k in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(alternatives)) = m.get_mut(k) {
            alternatives.iter_mut().for_each(normalize_schema);
        }
    }
}

/// Moves what Twilio writes but openapiv3 cannot hold out of the document:
/// the well-typed `description` and `nullable` members of every object that also
/// has a string `$ref` (into `siblings`), and the string `format` of every
/// `type: object` schema (into `formats`). Anything else beside a `$ref` stays,
/// so the lossless check reports it.
fn take_twilio_members(
    v: &mut Value,
    at: &Pointer,
    out: &mut BTreeMap<String, RefSiblings>,
    formats: &mut BTreeMap<String, String>,
) {
    match v {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("object") {
                if let Some(Value::String(f)) = map.get("format") {
                    formats.insert(at.as_str().to_string(), f.clone());
                    map.shift_remove("format");
                }
            }
            if let Some(Value::String(reference)) = map.get("$ref") {
                let mut s = RefSiblings {
                    reference: reference.clone(),
                    ..RefSiblings::default()
                };
                let mut found = false;
                if let Some(Value::String(d)) = map.get("description") {
                    s.description = Some(d.clone());
                    map.shift_remove("description");
                    found = true;
                }
                if let Some(Value::Bool(n)) = map.get("nullable") {
                    s.nullable = *n;
                    map.shift_remove("nullable");
                    found = true;
                }
                if let Some(Value::String(t)) = map.get("type") {
                    s.type_ = Some(t.clone());
                    map.shift_remove("type");
                    found = true;
                }
                if let Some(Value::Object(x)) = map.get("x-twilio") {
                    s.pii = x.contains_key("pii");
                }
                // Documentation and other generators' hints: no effect on the client.
                let before = map.len();
                map.retain(|k, _| k != "example" && k != "examples" && !k.starts_with("x-"));
                if found || map.len() != before {
                    out.insert(at.as_str().to_string(), s);
                }
            }
            // Only objects can hold what is taken; no pointer is built for scalars.
            for (k, c) in map.iter_mut().filter(|(_, c)| is_container(c)) {
                take_twilio_members(c, &at.push(k), out, formats);
            }
        }
        Value::Array(items) => {
            for (n, c) in items.iter_mut().enumerate() {
                if is_container(c) {
                    take_twilio_members(c, &at.push(n), out, formats);
                }
            }
        }
        _ => {}
    }
}

/// The first member of `input` (depth first, in document order) that `output`
/// lacks, and whether it stood beside a `$ref`.
fn first_dropped(input: &Value, output: &Value, at: &Pointer) -> Option<(Pointer, String, bool)> {
    match (input, output) {
        // Pointers are built only for containers: a scalar has nothing to drop.
        (Value::Object(i), Value::Object(o)) => i.iter().find_map(|(key, iv)| match o.get(key) {
            Some(ov) if is_container(iv) => first_dropped(iv, ov, &at.push(key)),
            Some(_) => None,
            None if is_default(iv) && OPENAPI_FIELDS.contains(&key.as_str()) => None,
            None => Some((at.push(key), key.clone(), i.contains_key("$ref"))),
        }),
        (Value::Array(i), Value::Array(o)) => i
            .iter()
            .zip(o)
            .enumerate()
            .filter(|(_, (iv, _))| is_container(iv))
            .find_map(|(n, (iv, ov))| first_dropped(iv, ov, &at.push(n))),
        _ => None,
    }
}

fn is_container(v: &Value) -> bool {
    v.is_object() || v.is_array()
}

/// The fixed field names of OpenAPI 3.0 objects. openapiv3 may omit one of these
/// when it holds its default value; any other missing member was dropped.
const OPENAPI_FIELDS: &[&str] = &[
    "openapi",
    "info",
    "servers",
    "paths",
    "components",
    "security",
    "tags",
    "externalDocs",
    "title",
    "description",
    "termsOfService",
    "contact",
    "license",
    "version",
    "name",
    "url",
    "email",
    "variables",
    "enum",
    "default",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "summary",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "operationId",
    "requestBody",
    "deprecated",
    "in",
    "required",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "content",
    "encoding",
    "contentType",
    "value",
    "externalValue",
    "operationRef",
    "server",
    "type",
    "scheme",
    "bearerFormat",
    "flows",
    "openIdConnectUrl",
    "implicit",
    "password",
    "clientCredentials",
    "authorizationCode",
    "authorizationUrl",
    "tokenUrl",
    "refreshUrl",
    "scopes",
    "propertyName",
    "mapping",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "namespace",
    "prefix",
    "attribute",
    "wrapped",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "format",
];

/// Values that openapiv3 omits when re-serializing a member holding its default.
fn is_default(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// What an OpenAPI node is, judged by where it stands.
#[derive(Clone, Copy)]
enum Kind {
    PathItem,
    Schema,
    Response,
    Parameter,
    RequestBody,
    Header,
    Example,
    SecurityScheme,
}

fn kind_at(pointer: &str) -> Option<Kind> {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let last = *tokens.last()?;
    let parent = tokens.len().checked_sub(2).map(|i| tokens[i]);
    Some(match (parent, last) {
        (Some("paths"), _) if tokens.len() == 2 => Kind::PathItem,
        (_, "schema" | "items" | "additionalProperties" | "not") => Kind::Schema,
        (Some("schemas" | "properties" | "allOf" | "oneOf" | "anyOf"), _) => Kind::Schema,
        (Some("responses"), _) => Kind::Response,
        (Some("parameters"), _) => Kind::Parameter,
        (_, "requestBody") | (Some("requestBodies"), _) => Kind::RequestBody,
        (Some("headers"), _) => Kind::Header,
        (Some("examples"), _) => Kind::Example,
        (Some("securitySchemes"), _) => Kind::SecurityScheme,
        _ => return None,
    })
}

/// The error of decoding `node` as `T`: the path below `node` and the message.
fn sub_error<T: serde::de::DeserializeOwned>(node: &Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(node)
        .err()
        .map(|e| (pointer_of(e.path()), e.inner().to_string()))
}

/// openapiv3's `$ref`-or-item values are untagged enums, and serde reports a
/// failure inside one at the enum itself ("did not match any variant"). Decoding
/// the failing node again as the item type its position implies finds the real
/// member and message; repeated until the pointer stops moving.
fn refine(raw: &Value, mut pointer: String, mut message: String) -> (String, String) {
    for _ in 0..64 {
        let Some(node) = raw.pointer(&pointer) else {
            break;
        };
        if node.get("$ref").is_some() {
            break;
        }
        // `paths` and an operation's `responses` are flattened maps in openapiv3,
        // which hides the path too: descend into the first entry that fails.
        if is_flattened_map(&pointer) {
            let Some(obj) = node.as_object() else { break };
            let child = |k: &str| format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
            match obj
                .keys()
                .filter(|k| !k.starts_with("x-"))
                .map(|k| child(k))
                .find(|c| !decodes(raw, c))
            {
                Some(c) => {
                    pointer = c;
                    continue;
                }
                None => break,
            }
        }
        let Some(kind) = kind_at(&pointer) else { break };
        let Some((sub, m)) = decode_error(kind, node) else {
            break;
        };
        message = m;
        if sub.is_empty() {
            break;
        }
        pointer.push_str(&sub);
    }
    // A missing member is reported where it belongs.
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        pointer = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
    }
    (pointer, message)
}

fn is_flattened_map(pointer: &str) -> bool {
    pointer == "/paths" || (pointer.ends_with("/responses") && !pointer.starts_with("/components"))
}

/// Whether the entry of a flattened map at `pointer` decodes as its type.
fn decodes(raw: &Value, pointer: &str) -> bool {
    match (raw.pointer(pointer), kind_at(pointer)) {
        (Some(node), Some(kind)) if node.get("$ref").is_none() => {
            decode_error(kind, node).is_none()
        }
        _ => true,
    }
}

/// The error of decoding `node` as the OpenAPI object `kind`, if any.
fn decode_error(kind: Kind, node: &Value) -> Option<(String, String)> {
    use openapiv3 as o;
    match kind {
        Kind::PathItem => sub_error::<o::PathItem>(node),
        Kind::Schema => sub_error::<o::Schema>(node),
        Kind::Response => sub_error::<o::Response>(node),
        Kind::Parameter => sub_error::<o::Parameter>(node),
        Kind::RequestBody => sub_error::<o::RequestBody>(node),
        Kind::Header => sub_error::<o::Header>(node),
        Kind::Example => sub_error::<o::Example>(node),
        Kind::SecurityScheme => sub_error::<o::SecurityScheme>(node),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut p = Pointer::root();
    for seg in path.iter() {
        p = match seg {
            Segment::Seq { index } => p.push(index),
            Segment::Map { key } => p.push(key),
            Segment::Enum { variant } => p.push(variant),
            Segment::Unknown => p,
        };
    }
    p.as_str().to_string()
}
