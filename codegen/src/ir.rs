//! The intermediate representation: plain data, ordered, serialisable. It is the one
//! thing both code emission and `xtask diff` read, so it holds every fact about the
//! API that reaches the generated crate, and nothing about how it is printed.

use serde::{Deserialize, Serialize};

/// The whole API a crate is generated from (all spec files merged).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Api {
    /// One validated newtype per SID prefix set, sorted by name.
    pub sids: Vec<SidType>,
    /// One module per product version (`flex_v2`), sorted by module name.
    pub versions: Vec<Version>,
    /// Component schemas that no operation reaches (`flex.v2.instance`), sorted:
    /// nothing is generated for them; the diff lists new ones as information.
    pub unused_schemas: Vec<String>,
}

/// A SID newtype such as `FlexUserSid` (`^FU[0-9a-fA-F]{32}$`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SidType {
    /// Named after the prefixes alone (`FuSid`), so no spec update renames it.
    pub name: String,
    /// What it identifies, for its docs (`flex user`); empty when no name says.
    pub what: String,
    /// Two-letter prefixes the SID may start with (usually one).
    pub prefixes: Vec<String>,
}

/// One product version, e.g. Flex v2: `client.flex_v2()`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Version {
    /// Rust module and accessor name: `flex_v2`.
    pub module: String,
    /// Type of the version handle: `FlexV2`.
    pub type_name: String,
    /// Product domain (`flex`) and version (`v2`), as Twilio names them.
    pub domain: String,
    pub version: String,
    pub resources: Vec<Resource>,
    pub models: Vec<Model>,
}

/// A resource handle: `client.flex_v2().flex_user(instance_sid)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Resource {
    /// Accessor and module name, snake case: `flex_user`.
    pub name: String,
    /// Handle type name: `FlexUserResource` (beside the model `FlexUser`).
    pub type_name: String,
    pub doc: String,
    /// Path parameters of the parent path, kept by the resource handle.
    pub params: Vec<Param>,
    /// The wire name (`AccountSid`) of the parameter among `params` that is the
    /// account in an `/Accounts/{AccountSid}/…` path: it defaults to the
    /// client's account (as Twilio's SDKs do) instead of being an accessor
    /// argument, and the handle's `for_account(…)` addresses another one.
    pub client_account: Option<String>,
    pub operations: Vec<Operation>,
}

impl Resource {
    /// The parameters the accessor takes: all of `params` but the client's account.
    pub fn accessor_params(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|p| Some(&p.wire_name) != self.client_account.as_ref())
    }
}

/// One HTTP operation: `client.flex_v2().flex_user(i).fetch(sid).send()`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Operation {
    /// The spec's `operationId`: `FetchFlexUser`.
    pub id: String,
    /// Method on the resource handle: `fetch`.
    pub fn_name: String,
    /// Request builder type: `FetchFlexUser`.
    pub builder: String,
    pub method: Method,
    /// Path template with `{WireName}` placeholders.
    pub path: String,
    /// Scheme and host the operation is served from, e.g. `https://flex-api.twilio.com`.
    pub base_url: String,
    pub doc: String,
    /// Every parameter except the resource's own path parameters, in call order:
    /// required ones first (they are arguments), then optional ones (builder setters).
    pub params: Vec<Param>,
    /// How body parameters are encoded; `None` when the operation has no body.
    pub body: Option<BodyEncoding>,
    pub response: Response,
    /// Whether the request carries the account credentials (Basic auth).
    pub auth: bool,
    /// Set when the request may be authorised with an OAuth 2 client-credentials
    /// access token (`Authorization: Bearer`): the token endpoint, split into
    /// scheme and host (`https://preview-iam.twilio.com`) and path (`/v1/token`).
    pub oauth2: Option<TokenEndpoint>,
    /// Resource accessor parameters that this operation constrains more than the
    /// accessor does (the spec types them differently per operation): checked in
    /// `send()` against this operation's declaration.
    pub path_checks: Vec<Param>,
}

/// An OAuth 2 token endpoint (a `clientCredentials` flow's `tokenUrl`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TokenEndpoint {
    pub base_url: String,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded`, encoded as Twilio's SDKs do.
    Form,
    /// `application/json`: the body parameters form one JSON object.
    Json,
    /// `application/json` sent as one value: the one body parameter (a map for a
    /// body with no listed members, or the enum or struct of a `oneOf`/`allOf`
    /// body) is the whole JSON object.
    JsonDocument,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Response {
    /// The success status the spec documents (200, 201, 204, ...), or the redirect
    /// status (307) of an operation whose only documented outcome is a redirect.
    pub status: u16,
    /// The decoded JSON body, or `None` for an empty body.
    pub body: Option<Type>,
    /// Set when the body is one page of a list: where its items and the next page are.
    pub pagination: Option<Pagination>,
    /// The JSON media type the body is served as when it is not
    /// `application/json` (`application/scim+json`): the request's `Accept`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// How a list response is paged. Recognised from the response's shape (see
/// `lower::pagination`), the same way for every Twilio API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pagination {
    /// Wire name of the array member holding the page's items (`teams`, `calls`).
    pub items_field: String,
    /// Type of one item.
    pub item: Type,
    pub style: PageStyle,
    /// The list's page-size query parameter, which `stream().limit(n)` sets.
    pub page_size: Option<PageSize>,
}

/// A list's page-size query parameter (`PageSize`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PageSize {
    pub wire_name: String,
    /// The largest page the spec allows (its `maximum`), else Twilio's 1000.
    pub max: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PageStyle {
    /// `meta.next_page_url`: an absolute URL (Twilio's v1+ APIs).
    MetaNextPageUrl,
    /// `meta.next_token` (or `meta.nextToken`: `token_member`), sent back as the
    /// query parameter named here (`PageToken`, `pageToken`).
    MetaNextToken {
        token_param: String,
        token_member: String,
    },
    /// api_v2010's flat `next_page_uri`, relative to the API host.
    FlatNextPageUri,
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Param {
    /// Name on the wire: `FlexUserSid`, `Ui-Version`, `Email`.
    pub wire_name: String,
    /// Rust identifier (argument or setter): `flex_user_sid`.
    pub rust_name: String,
    pub location: Location,
    pub ty: Type,
    pub required: bool,
    pub doc: String,
    pub constraints: Constraints,
    /// The string `format` the spec declares (`uri`, `date-time`, `phone-number`),
    /// whether or not it changes the Rust type.
    pub format: Option<String>,
    /// The spec's example value (the parameter's `example`, else the first of
    /// its `examples`, else its schema's `example`), as compact JSON text. Not
    /// checked against the declaration: readers use it only where it is valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Location {
    Path,
    Query,
    Header,
    /// A member of the request body.
    Body,
}

/// Client-side checks from the spec, applied before a request is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    /// A SID of no particular type (the value, or each item of a list): two
    /// letters, then 32 hexadecimal digits.
    pub any_sid: Option<SidShape>,
    /// A regular expression the text (or each item of a list) must match
    /// somewhere, as JSON Schema's `pattern` does.
    pub pattern: Option<String>,
}

/// The letters an untyped SID may start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SidShape {
    /// `^[A-Z]{2}[0-9a-fA-F]{32}$`
    Uppercase,
    /// `^[a-zA-Z]{2}[0-9a-fA-F]{32}$`
    AnyCase,
}

/// A numeric bound. Floats are kept as their shortest decimal text so the IR stays `Ord`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Bound {
    pub value: String,
    pub exclusive: bool,
}

/// The type of a value, as the generated crate spells it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Type {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// RFC 3339 date-time.
    DateTime,
    /// `YYYY-MM-DD`.
    Date,
    /// An RFC 2822 date-time (`Fri, 14 Oct 2016 21:56:34 +0000`): Twilio's
    /// `date-time-rfc-2822` format, used by its 2010 API. Response bodies only.
    DateTimeRfc2822,
    /// A SID newtype, by name (see [`Api::sids`]).
    Sid(String),
    /// A generated struct or enum.
    Model {
        module: String,
        name: String,
    },
    Array(Box<Type>),
    /// A JSON object with arbitrary keys (`additionalProperties`, Twilio's `uri-map`).
    Map(Box<Type>),
    /// Any JSON value (free-form).
    Any,
    /// Twilio's `prefixed-collapsible-map-<Prefix>` object: a map of JSON values
    /// (`BTreeMap<String, serde_json::Value>`). As a query or form parameter it
    /// goes as `<Prefix>.<key>=<value>` pairs, nested maps flattened with dots,
    /// as Twilio's SDKs send it; in a JSON body it is the object itself.
    CollapsibleMap {
        prefix: String,
    },
}

/// A generated type: a struct for an object schema or an enum for a string enum.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Model {
    pub name: String,
    /// The component name it comes from (`flex.v2.flex_user`), or the synthesized
    /// context of an inline schema (`UpdateFlexUser.Status`).
    pub source: String,
    pub doc: String,
    pub kind: ModelKind,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ModelKind {
    Struct {
        fields: Vec<Field>,
    },
    /// A string enum; unknown values decode into an `Other(String)` variant.
    Enum {
        values: Vec<EnumValue>,
    },
    /// `oneOf`: a Rust enum with one variant per alternative, plus
    /// `Other(serde_json::Value)` for a value none of them matches.
    OneOf {
        /// The `discriminator.propertyName`, if any: the variant is chosen by
        /// that member's value. Otherwise each variant is tried in order.
        discriminator: Option<String>,
        variants: Vec<Variant>,
    },
}

/// One alternative of a `oneOf`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Variant {
    /// Rust variant name: `UsAppToPerson`.
    pub name: String,
    pub ty: Type,
    /// Discriminator values that select this variant (with a discriminator).
    pub tags: Vec<String>,
    /// Without a discriminator: for an object schema with `additionalProperties:
    /// false`, its property names. A value with any other member is not this variant.
    pub closed_fields: Option<Vec<String>>,
    /// `Box`ed because the type contains itself through this variant.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EnumValue {
    pub wire: String,
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: Type,
    /// `Option<_>` in Rust: the field is not required, or may be `null`.
    pub optional: bool,
    pub doc: String,
    /// Marked `x-twilio.pii` in the spec: redacted in `Debug` output.
    pub pii: bool,
    /// The string `format` the spec declares (`uri`, `date-time`), whether or not
    /// it changes the Rust type.
    pub format: Option<String>,
    /// `Box`ed in Rust because the type contains itself through this field.
    pub boxed: bool,
}
