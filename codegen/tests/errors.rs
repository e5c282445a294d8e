//! Bad input to the generator: each case gives an error naming the file and the
//! JSON pointer of the problem, and says what was expected. Never a panic.

use codegen::{CrateInfo, Error};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn info() -> CrateInfo {
    CrateInfo {
        name: "t".into(),
        version: "0.1.0".into(),
        description: "t".into(),
        sources: vec![],
        standalone: false,
        features: false,
        runtime: codegen::RuntimeSource::path("../codegen/runtime"),
        runtime_sids: codegen::NamesLock::default(),
    }
}

/// A valid one-operation spec to break in each test.
fn base() -> Value {
    json!({
        "openapi": "3.0.1",
        "info": {"title": "Twilio - Test", "version": "1.0.0"},
        "servers": [{"url": "https://test-api.twilio.com"}],
        "paths": {
            "/v1/Things/{Sid}": {
                "x-twilio": {"mountName": "things", "pathType": "instance"},
                "get": {
                    "operationId": "FetchThing",
                    "parameters": [{"name": "Sid", "in": "path", "required": true,
                        "schema": {"type": "string", "pattern": "^TH[0-9a-fA-F]{32}$"}}],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/test.v1.thing"}}}}}
                }
            }
        },
        "components": {"schemas": {"test.v1.thing": {"type": "object", "properties": {"sid": {"type": "string"}}}}}
    })
}

fn run(docs: &[(&str, Value)]) -> Result<(), Error> {
    let specs = docs
        .iter()
        .map(|(file, v)| codegen::load::parse_value(Path::new(file), v.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = codegen::merge::merge(specs.clone())?;
    let api = codegen::lower::lower(&merged)?;
    codegen::emit::emit(&api, &info())?;
    Ok(())
}

fn expect_error(docs: &[(&str, Value)], file: &str, pointer: &str, message_part: &str) {
    let err = run(docs).expect_err("expected an error");
    assert_eq!(err.file, PathBuf::from(file), "{err}");
    assert_eq!(err.pointer, pointer, "{err}");
    assert!(
        err.message.contains(message_part),
        "message `{}` lacks `{message_part}`",
        err.message
    );
    // The rendered error carries all three.
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("{file}#{pointer}: ")), "{shown}");
}

/// `expect_error` for the common case: one file, `a.json`.
fn expect_error_in(v: Value, pointer: &str, message_part: &str) {
    expect_error(&[("a.json", v)], "a.json", pointer, message_part);
}

/// Adds a parameter to the base spec's one operation (it becomes parameter 1).
fn add_param(v: &mut Value, param: Value) {
    v["paths"]["/v1/Things/{Sid}"]["get"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(param);
}

#[test]
fn the_base_spec_is_valid() {
    run(&[("a.json", base())]).unwrap();
}

#[test]
fn missing_file() {
    let err = codegen::api_from_files(&[PathBuf::from("no/such/spec.json")]).unwrap_err();
    assert_eq!(err.file, PathBuf::from("no/such/spec.json"));
    assert_eq!(err.pointer, "");
    assert!(err.message.contains("cannot read"), "{err}");
}

#[test]
fn invalid_json_names_line_and_column() {
    let err = codegen::load::parse(
        Path::new("bad.json"),
        "{\n  \"openapi\": \"3.0.1\",\n  oops\n}",
    )
    .unwrap_err();
    assert_eq!(err.file, PathBuf::from("bad.json"));
    assert!(err.message.contains("line 3"), "{err}");
}

#[test]
fn openapi_3_1_is_rejected_at_its_version() {
    let mut v = base();
    v["openapi"] = json!("3.1.0");
    expect_error_in(v, "/openapi", "OpenAPI 3.0");
}

#[test]
fn structurally_invalid_openapi() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["get"]["responses"] = json!(42);
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/responses",
        "not valid OpenAPI",
    );
}

#[test]
fn broken_schema_ref() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"]["$ref"] = json!("#/components/schemas/test.v1.missing");
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/responses/200/content/application~1json/schema/$ref",
        "no schema `test.v1.missing`",
    );
}

#[test]
fn broken_ref_inside_a_component_points_into_the_component() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["owner"] =
        json!({"$ref": "#/components/schemas/nope"});
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/owner/$ref",
        "no schema `nope`",
    );
}

#[test]
fn unsupported_any_of() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["sid"] =
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/sid/anyOf",
        "anyOf",
    );
}

#[test]
fn a_type_beside_a_ref_must_be_the_targets() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["owner"] =
        json!({"$ref": "#/components/schemas/test.v1.thing", "type": "string"});
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/owner/type",
        "`type: string` beside a `$ref` to a schema of type `object`",
    );
    // The same type, examples and other generators' `x-` hints are accepted.
    let mut ok = base();
    ok["components"]["schemas"]["test.v1.thing"]["properties"]["owner"] = json!({
        "$ref": "#/components/schemas/test.v1.thing",
        "type": "object",
        "example": {"sid": "TH00000000000000000000000000000000"},
        "x-jvm-type": "com.twilio.Thing"
    });
    codegen::api_from_texts(&[("a.json".into(), ok.to_string())]).unwrap();
}

#[test]
fn all_of_combines_objects_only() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["owner"] = json!({"allOf": [
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "string"}
    ]});
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/owner/allOf/1",
        "an `allOf` part that is not an object",
    );
    // A part that contains the `allOf` again is an error, not endless recursion.
    let mut itself = base();
    itself["components"]["schemas"]["test.v1.thing"]["properties"]["owner"] =
        json!({"allOf": [{"$ref": "#/components/schemas/test.v1.thing"}]});
    expect_error_in(
        itself,
        "/components/schemas/test.v1.thing/properties/owner/allOf/0",
        "contains the `allOf` itself",
    );
    let mut twice = base();
    twice["components"]["schemas"]["test.v1.thing"]["properties"]["owner"] = json!({"allOf": [
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "integer"}}}
    ]});
    expect_error_in(
        twice,
        "/components/schemas/test.v1.thing/properties/owner/allOf/1/properties/a",
        "property `a` defined by two `allOf` parts",
    );
}

#[test]
fn additional_properties_beside_properties_is_not_dropped() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["additionalProperties"] = json!({"type": "string"});
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/additionalProperties",
        "`additionalProperties` beside `properties`",
    );
    let mut closed = base();
    closed["components"]["schemas"]["test.v1.thing"]["additionalProperties"] = json!(false);
    codegen::api_from_texts(&[("a.json".into(), closed.to_string())]).unwrap();
}

#[test]
fn a_discriminator_needs_ref_alternatives() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["sid"] = json!({
        "oneOf": [{"type": "object", "properties": {"kind": {"type": "string"}}}],
        "discriminator": {"propertyName": "kind"}
    });
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/sid/oneOf/0",
        "inline `oneOf` alternative beside a `discriminator`",
    );
}

#[test]
fn a_discriminator_mapping_must_name_an_alternative() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.other"] =
        json!({"type": "object", "properties": {"kind": {"type": "string"}}});
    v["components"]["schemas"]["test.v1.thing"]["properties"]["sid"] = json!({
        "oneOf": [{"$ref": "#/components/schemas/test.v1.other"}],
        "discriminator": {"propertyName": "kind", "mapping": {"x": "#/components/schemas/test.v1.nope"}}
    });
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/sid/discriminator/mapping/x",
        "is not one of the `oneOf` alternatives",
    );
}

#[test]
fn nullable_beside_a_ref_outside_a_property() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.other"] =
        json!({"type": "object", "properties": {"a": {"type": "string"}}});
    v["components"]["schemas"]["test.v1.thing"]["properties"]["sid"] = json!({
        "type": "array",
        "items": {"$ref": "#/components/schemas/test.v1.other", "nullable": true}
    });
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/sid/items/nullable",
        "`nullable: true` beside a `$ref`",
    );
}

#[test]
fn other_members_beside_a_ref_are_errors() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.other"] =
        json!({"type": "object", "properties": {"a": {"type": "string"}}});
    v["components"]["schemas"]["test.v1.thing"]["properties"]["sid"] =
        json!({"$ref": "#/components/schemas/test.v1.other", "readOnly": true});
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/sid/readOnly",
        "beside `$ref`",
    );
}

#[test]
fn rfc_2822_on_a_request_parameter() {
    let mut v = base();
    add_param(
        &mut v,
        json!({"name": "When", "in": "query", "schema": {"type": "string", "format": "date-time-rfc-2822"}}),
    );
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/parameters/1/schema/format",
        "`date-time-rfc-2822` on a request parameter",
    );
}

#[test]
fn only_a_redirect_or_error_responses() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["get"]["responses"] = json!({"404": {"description": "no"}});
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/responses",
        "expected a success (2xx) or redirect (3xx) response",
    );
}

#[test]
fn members_openapiv3_would_drop_are_errors() {
    // `const` is JSON Schema / OpenAPI 3.1; openapiv3 would silently discard it.
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["sid"]["const"] = json!("x");
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/sid/const",
        "`const`",
    );
}

#[test]
fn a_pattern_that_cannot_be_checked_client_side() {
    let mut v = base();
    // Look-around is JavaScript regex syntax the `regex` crate does not have.
    v["paths"]["/v1/Things/{Sid}"]["get"]["parameters"][0]["schema"]["pattern"] =
        json!("^(?=TH)[A-Z]+$");
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/parameters/0/schema/pattern",
        "pattern `^(?=TH)[A-Z]+$` cannot be checked client-side",
    );
}

#[test]
fn path_placeholder_without_parameter() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["get"]["parameters"] = json!([]);
    expect_error_in(v, "/paths/~1v1~1Things~1{Sid}/get/parameters", "`{Sid}`");
}

/// The IR of one spec, `a.json`.
fn lower_one(v: Value) -> codegen::ir::Api {
    let spec = codegen::load::parse_value(Path::new("a.json"), v).unwrap();
    codegen::lower::lower(&codegen::merge::merge(vec![spec]).unwrap()).unwrap()
}

#[test]
fn a_missing_operation_id_is_derived_from_method_and_path() {
    let mut v = base();
    let get = v["paths"]["/v1/Things/{Sid}"]["get"]
        .as_object_mut()
        .unwrap();
    get.remove("operationId");
    let mut post = get.clone();
    post.insert("responses".into(), json!({"204": {"description": "done"}}));
    v["paths"]["/v1/Things/{Sid}"]["post"] = Value::Object(post);
    let api = lower_one(v);
    let ops = &api.versions[0].resources[0].operations;
    let names: Vec<(&str, &str, &str)> = ops
        .iter()
        .map(|o| (o.id.as_str(), o.fn_name.as_str(), o.builder.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("FetchThings", "fetch", "FetchThings"),
            ("UpdateThings", "update", "UpdateThings")
        ]
    );
}

#[test]
fn oauth2_other_than_client_credentials_without_scopes_is_unsupported() {
    let mut v = base();
    v["security"] = json!([{"oauth": []}]);
    v["components"]["securitySchemes"] = json!({"oauth": {"type": "oauth2", "flows": {
        "implicit": {"authorizationUrl": "https://example.com/auth", "scopes": {}}}}});
    expect_error_in(
        v.clone(),
        "/components/securitySchemes/oauth/flows/implicit",
        "`implicit` flow",
    );
    v["components"]["securitySchemes"] = json!({"oauth": {"type": "oauth2", "flows": {
        "clientCredentials": {"tokenUrl": "/v1/token", "scopes": {}}}}});
    expect_error_in(
        v.clone(),
        "/components/securitySchemes/oauth/flows/clientCredentials/tokenUrl",
        "absolute",
    );
    v["components"]["securitySchemes"] = json!({"oauth": {"type": "oauth2", "flows": {
        "clientCredentials": {"tokenUrl": "https://iam.example.com/v1/token", "scopes": {"read": "r"}}}}});
    v["security"] = json!([{"oauth": ["read"]}]);
    expect_error_in(
        v.clone(),
        "/paths/~1v1~1Things~1{Sid}/get/security/0/oauth",
        "scopes",
    );
    v["security"] = json!([{"oauth": []}]);
    let api = lower_one(v);
    let op = &api.versions[0].resources[0].operations[0];
    let token = op.oauth2.as_ref().expect("the token endpoint");
    assert_eq!(
        (token.base_url.as_str(), token.path.as_str()),
        ("https://iam.example.com", "/v1/token")
    );
    assert!(!op.auth);
}

#[test]
fn a_collapsible_map_goes_only_in_a_query_or_form() {
    let mut v = base();
    add_param(
        &mut v,
        json!({"name": "Data", "in": "header",
        "schema": {"type": "object", "format": "prefixed-collapsible-map-Data"}}),
    );
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/parameters/1/schema/format",
        "collapsible",
    );
}

#[test]
fn a_one_of_body_must_be_a_one_of_objects() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["post"] = v["paths"]["/v1/Things/{Sid}"]["get"].clone();
    v["paths"]["/v1/Things/{Sid}"]["post"]["operationId"] = json!("UpdateThing");
    v["paths"]["/v1/Things/{Sid}"]["post"]["requestBody"] = json!({"content": {"application/json": {
        "schema": {"oneOf": [{"$ref": "#/components/schemas/test.v1.thing"}, {"type": "string"}]}}}});
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/post/requestBody/content/application~1json/schema/oneOf",
        "not an object",
    );
}

#[test]
fn number_formats_other_than_float_double_or_integers_are_errors() {
    let mut v = base();
    add_param(
        &mut v,
        json!({"name": "N", "in": "query", "schema": {"type": "number", "format": "decimal"}}),
    );
    expect_error_in(
        v.clone(),
        "/paths/~1v1~1Things~1{Sid}/get/parameters/1/schema/format",
        "int32",
    );
    v["paths"]["/v1/Things/{Sid}"]["get"]["parameters"][1]["schema"] =
        json!({"type": "number", "format": "int32", "maximum": 2.5});
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/parameters/1/schema/maximum",
        "not an integer",
    );
}

#[test]
fn yaml_reads_as_its_json_twin() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = codegen::api_from_files(&[root.join("tests/fixtures/yaml_spec.yaml")]).unwrap();
    let json = codegen::api_from_files(&[root.join("tests/yaml/yaml_spec.json")]).unwrap();
    assert_eq!(yaml, json);
}

#[test]
fn bad_yaml_is_an_error_naming_the_file() {
    let parse = |text: &str| codegen::load::parse(Path::new("bad.yaml"), text).unwrap_err();
    let err = parse("openapi: 3.0.1\ninfo: [unclosed\n");
    assert_eq!(err.file, PathBuf::from("bad.yaml"));
    assert!(err.message.contains("invalid YAML at line"), "{err}");
    let err = parse("a: &x {b: 1}\nc: *x\n");
    assert!(err.message.contains("YAML alias at line 2"), "{err}");
    let err = parse("a: 1\n---\nb: 2\n");
    assert!(err.message.contains("one YAML document, found 2"), "{err}");
    let err = parse("? [a, b]\n: 1\n");
    assert!(err.message.contains("not a scalar"), "{err}");
}

#[test]
fn unsupported_request_content_type() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["post"] = v["paths"]["/v1/Things/{Sid}"]["get"].clone();
    v["paths"]["/v1/Things/{Sid}"]["post"]["operationId"] = json!("UpdateThing");
    v["paths"]["/v1/Things/{Sid}"]["post"]["requestBody"] =
        json!({"content": {"multipart/form-data": {"schema": {"type": "object"}}}});
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/post/requestBody/content/multipart~1form-data",
        "multipart/form-data",
    );
}

#[test]
fn merge_clash_on_method_and_path() {
    expect_error(
        &[("a.json", base()), ("b.json", base())],
        "b.json",
        "/paths/~1v1~1Things~1{Sid}/get",
        "already defined in a.json",
    );
}

/// A `$ref` points into its own document: two specs may define the same
/// component name differently (Twilio's enum names recur across its specs).
#[test]
fn same_schema_name_in_two_files_is_two_types() {
    let mut other = base();
    other["servers"] = json!([{"url": "https://other-api.twilio.com"}]);
    other["components"]["schemas"]["test.v1.thing"]["properties"]["sid"]["type"] = json!("integer");
    other["paths"] = json!({"/v1/Others/{Sid}": other["paths"]["/v1/Things/{Sid}"].take()});
    other["paths"]["/v1/Others/{Sid}"]["x-twilio"]["mountName"] = json!("others");
    other["paths"]["/v1/Others/{Sid}"]["get"]["operationId"] = json!("FetchOther");
    let specs: Vec<_> = [("a.json", base()), ("b.json", other)]
        .into_iter()
        .map(|(f, v)| codegen::load::parse_value(Path::new(f), v).unwrap())
        .collect();
    let api = codegen::lower::lower(&codegen::merge::merge(specs.clone()).unwrap()).unwrap();
    let field_types: Vec<String> = api
        .versions
        .iter()
        .flat_map(|v| &v.models)
        .filter_map(|m| match &m.kind {
            codegen::ir::ModelKind::Struct { fields } => {
                Some(format!("{}: {:?}", m.name, fields[0].ty))
            }
            _ => None,
        })
        .collect();
    assert_eq!(field_types.len(), 2, "{field_types:?}");
    assert!(
        field_types.iter().any(|t| t.ends_with("String")),
        "{field_types:?}"
    );
    assert!(
        field_types.iter().any(|t| t.ends_with("I64")),
        "{field_types:?}"
    );
    // One merged document cannot hold both: that is an error, not an override.
    let err = codegen::merge::merged_document(&specs).unwrap_err();
    assert_eq!(err.file, PathBuf::from("b.json"));
    assert_eq!(err.pointer, "/components/schemas/test.v1.thing");
}

#[test]
fn identical_schemas_in_two_files_merge() {
    let mut other = base();
    other["paths"] = json!({});
    run(&[("a.json", base()), ("b.json", other)]).unwrap();
}

#[test]
fn a_supplement_may_add_a_method_to_an_existing_path() {
    let mut other = base();
    let get = other["paths"]["/v1/Things/{Sid}"]["get"].take();
    let mut delete = get.clone();
    delete["operationId"] = json!("DeleteThing");
    delete["responses"] = json!({"204": {"description": "deleted"}});
    other["paths"]["/v1/Things/{Sid}"] =
        json!({"x-twilio": {"mountName": "things", "pathType": "instance"}, "delete": delete});
    run(&[("a.json", base()), ("b.json", other)]).unwrap();
}

#[test]
fn a_placeholder_used_twice_is_an_error_not_a_panic() {
    let mut v = base();
    let item = v["paths"]["/v1/Things/{Sid}"].take();
    v["paths"] = json!({ "/v1/Things/{Sid}/Copies/{Sid}": item });
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}~1Copies~1{Sid}",
        "appears twice",
    );
}

#[test]
fn a_schema_that_contains_itself_through_an_array_is_an_error_not_a_stack_overflow() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["tree"] =
        json!({"$ref": "#/components/schemas/tree"});
    v["components"]["schemas"]["tree"] =
        json!({"type": "array", "items": {"$ref": "#/components/schemas/tree"}});
    expect_error_in(v, "/components/schemas/tree/items/$ref", "contains itself");
}

#[test]
fn a_dropped_member_with_a_default_looking_value_is_still_reported() {
    let mut v = base();
    v["components"]["schemas"]["test.v1.thing"]["properties"]["sid"]["const"] = json!(false);
    expect_error_in(
        v,
        "/components/schemas/test.v1.thing/properties/sid/const",
        "`const`",
    );
}

#[test]
fn non_default_parameter_serialization_is_unsupported() {
    let mut v = base();
    add_param(
        &mut v,
        json!({"name": "Ids", "in": "query", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}}),
    );
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/parameters/1/explode",
        "`explode: false`",
    );
}

#[test]
fn constraints_the_client_cannot_check_are_unsupported() {
    for (schema, member) in [
        (json!({"type": "integer", "multipleOf": 5}), "multipleOf"),
        (json!({"type": "integer", "enum": [1, 2]}), "enum"),
        (
            json!({"type": "array", "uniqueItems": true, "items": {"type": "string"}}),
            "uniqueItems",
        ),
        (
            json!({"type": "array", "items": {"type": "string", "pattern": "^(a)\\1$"}}),
            "items/pattern",
        ),
        (
            json!({"type": "string", "format": "date-time", "maxLength": 20}),
            "maxLength",
        ),
        (
            json!({"type": "integer", "format": "int32", "maximum": 4294967295i64}),
            "maximum",
        ),
    ] {
        let mut v = base();
        add_param(
            &mut v,
            json!({"name": "Q", "in": "query", "schema": schema}),
        );
        let pointer = format!("/paths/~1v1~1Things~1{{Sid}}/get/parameters/1/schema/{member}");
        let err = run(&[("a.json", v)]).expect_err(member);
        assert_eq!(err.pointer, pointer, "{err}");
    }
}

#[test]
fn an_invalid_header_name_is_an_error() {
    let mut v = base();
    add_param(
        &mut v,
        json!({"name": "Bad Header", "in": "header", "schema": {"type": "string"}}),
    );
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/parameters/1/name",
        "header name",
    );
}

#[test]
fn server_variables_are_unsupported() {
    let mut v = base();
    v["servers"] = json!([{"url": "https://{region}.twilio.com", "variables": {"region": {"default": "us1"}}}]);
    expect_error_in(v, "/servers/0/variables", "server `variables`");
}

#[test]
fn document_level_security_applies_to_operations_without_their_own() {
    let mut v = base();
    v["components"]["securitySchemes"] = json!({"basic": {"type": "http", "scheme": "basic"}});
    v["security"] = json!([{"basic": []}]);
    let spec = codegen::load::parse_value(Path::new("a.json"), v.clone()).unwrap();
    let api = codegen::lower::lower(&codegen::merge::merge(vec![spec]).unwrap()).unwrap();
    assert!(
        api.versions[0].resources[0].operations[0].auth,
        "document security ignored"
    );
    // An operation's own empty `security` means no credentials.
    v["paths"]["/v1/Things/{Sid}"]["get"]["security"] = json!([]);
    let spec = codegen::load::parse_value(Path::new("a.json"), v).unwrap();
    let api = codegen::lower::lower(&codegen::merge::merge(vec![spec]).unwrap()).unwrap();
    assert!(!api.versions[0].resources[0].operations[0].auth);
}

/// `b.json`: the base spec's path with a `delete` instead of its `get`, served
/// from `servers`.
fn delete_on(servers: serde_json::Value) -> serde_json::Value {
    let mut other = base();
    let get = other["paths"]["/v1/Things/{Sid}"]["get"].take();
    let mut delete = get;
    delete["operationId"] = json!("DeleteThing");
    delete["responses"] = json!({"204": {"description": "deleted"}});
    other["paths"]["/v1/Things/{Sid}"] =
        json!({"x-twilio": {"mountName": "things", "pathType": "instance"}, "delete": delete});
    other["servers"] = servers;
    other
}

/// The same template on another host is another path (Twilio's chat_v1 and
/// accounts_v1 both have `/v1/Credentials`): a resource of that host's version.
#[test]
fn a_path_on_another_host_is_another_resource() {
    let other = delete_on(json!([{"url": "https://other-api.twilio.com"}]));
    let specs: Vec<_> = [("a.json", base()), ("b.json", other)]
        .into_iter()
        .map(|(f, v)| codegen::load::parse_value(Path::new(f), v).unwrap())
        .collect();
    let api = codegen::lower::lower(&codegen::merge::merge(specs).unwrap()).unwrap();
    let ops: Vec<String> = api
        .versions
        .iter()
        .flat_map(|v| {
            v.resources.iter().flat_map(move |r| {
                r.operations
                    .iter()
                    .map(move |o| format!("{}::{}::{} {}", v.module, r.name, o.fn_name, o.base_url))
            })
        })
        .collect();
    assert_eq!(
        ops,
        [
            "other_v1::things::delete https://other-api.twilio.com",
            "test_v1::things::fetch https://test-api.twilio.com",
        ]
    );
}

/// On one host, a supplement's path must be served exactly as the spec's is.
#[test]
fn a_supplement_path_with_other_servers_is_a_clash() {
    let other = delete_on(json!([
        {"url": "https://test-api.twilio.com"},
        {"url": "https://other-api.twilio.com"}
    ]));
    expect_error(
        &[("a.json", base()), ("b.json", other)],
        "b.json",
        "/servers",
        "servers differ",
    );
}

#[test]
fn a_parameter_listed_twice_is_an_error() {
    let mut v = base();
    let q = json!({"name": "Q", "in": "query", "schema": {"type": "string"}});
    add_param(&mut v, q.clone());
    add_param(&mut v, q);
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/parameters/2",
        "listed twice",
    );
}

/// A list response shaped for a `/v1/Things` GET, with the given `meta` schema.
fn list_spec(meta: Value, params: Value) -> Value {
    let mut spec = base();
    spec["paths"]["/v1/Things"] = json!({
        "x-twilio": {"mountName": "things", "pathType": "list"},
        "get": {
            "operationId": "ListThing",
            "parameters": params,
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "things": {"type": "array", "items": {"$ref": "#/components/schemas/test.v1.thing"}},
                    "meta": meta
                }}}}}}
        }
    });
    spec
}

#[test]
fn token_paged_list_without_a_token_parameter() {
    let meta = json!({"type": "object", "properties": {"next_token": {"type": "string"}}});
    expect_error(
        &[("t.json", list_spec(meta, json!([])))],
        "t.json",
        "/paths/~1v1~1Things/get/parameters",
        "no `PageToken` or `pageToken` or `Token` query parameter",
    );
}

#[test]
fn token_parameter_that_is_not_text() {
    let meta = json!({"type": "object", "properties": {"next_token": {"type": "string"}}});
    let params = json!([{"name": "PageToken", "in": "query", "schema": {"type": "integer"}}]);
    expect_error(
        &[("t.json", list_spec(meta, params))],
        "t.json",
        "/paths/~1v1~1Things/get/parameters",
        "page token parameter `PageToken` must be a string",
    );
}

#[test]
fn next_page_member_that_is_not_text() {
    let meta = json!({"type": "object", "properties": {"next_page_url": {"type": "integer"}}});
    expect_error(
        &[("t.json", list_spec(meta, json!([])))],
        "t.json",
        "/paths/~1v1~1Things/get/responses",
        "`next_page_url` must be a string",
    );
}

#[test]
fn a_path_with_no_servers_anywhere_is_named() {
    let mut v = base();
    v["servers"] = json!([]);
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/servers",
        "no `servers` entry applies to this path",
    );
}

/// Twilio's Basic scheme name means Basic even where the spec does not define
/// it (as some of Twilio's generator test specs do); any other name must be defined.
#[test]
fn an_undefined_security_scheme_is_an_error_unless_it_is_twilios_basic() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["get"]["security"] = json!([{"accountSid_authToken": []}]);
    let api = lower_one(v.clone());
    assert!(api.versions[0].resources[0].operations[0].auth);
    v["paths"]["/v1/Things/{Sid}"]["get"]["security"] = json!([{"basicAuth": []}]);
    expect_error_in(
        v,
        "/paths/~1v1~1Things~1{Sid}/get/security/0",
        "security scheme `basicAuth` is not defined in components.securitySchemes",
    );
}

/// A body may require a member its `properties` do not describe (the member is
/// an argument of any value), unless `additionalProperties: false` forbids it.
#[test]
fn a_required_member_a_closed_body_does_not_describe_is_an_error() {
    let mut v = base();
    v["paths"]["/v1/Things/{Sid}"]["post"] = json!({
        "operationId": "UpdateThing",
        "parameters": [{"name": "Sid", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": false,
            "properties": {"name": {"type": "string"}}, "required": ["name", "extra"]}}}},
        "responses": {"200": {"description": "OK"}}
    });
    expect_error_in(
        v.clone(),
        "/paths/~1v1~1Things~1{Sid}/post/requestBody/content/application~1json/schema/required/1",
        "`additionalProperties: false` forbids",
    );
    v["paths"]["/v1/Things/{Sid}"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        .as_object_mut()
        .unwrap()
        .remove("additionalProperties");
    run(&[("a.json", v)]).expect("an undescribed required member is an argument");
}

/// A closing `]`/`}` at the indentation of the key holding its flow collection
/// (YAML 1.2 wants it further in; libyaml and Twilio's generator test specs do
/// not) reads as if it were indented; other bad indentation stays an error.
#[test]
fn yaml_flow_closers_at_their_keys_indentation_are_read() {
    let decode = |text: &str| codegen::load::decode(Path::new("a.yaml"), text);
    let lenient = "a:\n  b: [\n    {\"c\": \"x\"},\n    \"y\"\n  ]\n  d: {\n    \"e\": 1\n  }\n";
    let strict = "a:\n  b: [\n    {\"c\": \"x\"},\n    \"y\"\n    ]\n  d: {\n    \"e\": 1\n    }\n";
    assert_eq!(decode(lenient).unwrap(), decode(strict).unwrap());
    assert_eq!(
        decode(lenient).unwrap(),
        json!({"a": {"b": [{"c": "x"}, "y"], "d": {"e": 1}}})
    );
    let err = decode("a:\n  b: 1\n c: 2\n").unwrap_err();
    assert!(err.message.contains("invalid YAML at line 3"), "{err}");
}
