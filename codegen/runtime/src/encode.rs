//! How parameter values go on the wire, following Twilio's own SDKs: arrays as
//! repeated keys, booleans as `true`/`false`, date-times as UTC ISO 8601 to the
//! second, dates as `YYYY-MM-DD`, objects as JSON text.

use super::{Error, RequestOptions};
use std::collections::BTreeMap;

/// A value that can be sent as a path, query, form or header parameter.
pub trait ToParam {
    /// Appends the value's text (one entry per item for a list, sent as
    /// repeated keys). Fails with the reason if the value cannot be written.
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String>;

    /// The value's text when it is one piece of text already (a SID, a
    /// string): path parameters then skip the list of values.
    fn as_text(&self) -> Option<&str> {
        None
    }

    /// The value as its own text, when it is one piece of text already and
    /// owned (a `String`, a well-formed SID): path parameters then take it
    /// without a copy. Otherwise the value is handed back.
    fn into_text(self) -> Result<String, Self>
    where
        Self: Sized,
    {
        Err(self)
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
                out.push(self.to_string());
                Ok(())
            }
        }
    )*};
}
display_param!(bool, i32, i64, f64);

impl ToParam for String {
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        out.push(self.clone());
        Ok(())
    }
    fn as_text(&self) -> Option<&str> {
        Some(self)
    }
    fn into_text(self) -> Result<String, Self> {
        Ok(self)
    }
}

impl ToParam for str {
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        out.push(self.to_string());
        Ok(())
    }
    fn as_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        (**self).param_values(out)
    }
    fn as_text(&self) -> Option<&str> {
        (**self).as_text()
    }
}

/// An optional parameter: `None` is not sent at all.
impl<T: ToParam> ToParam for Option<T> {
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        self.as_ref().map_or(Ok(()), |v| v.param_values(out))
    }
}

impl<T: ToParam> ToParam for Vec<T> {
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        self.iter().try_for_each(|v| v.param_values(out))
    }
}

impl ToParam for time::OffsetDateTime {
    /// UTC, whole seconds: `2024-07-31T04:00:00Z`, as Twilio's SDKs send it.
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        let utc = self.to_offset(time::UtcOffset::UTC);
        let utc = utc.replace_nanosecond(0).unwrap_or(utc);
        let text = utc
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|e| format!("cannot write {self} as an ISO 8601 date-time: {e}"))?;
        out.push(text);
        Ok(())
    }
}

impl ToParam for time::Date {
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        if !(0..=9999).contains(&self.year()) {
            return Err(format!("cannot write {self} as a YYYY-MM-DD date"));
        }
        out.push(format!(
            "{:04}-{:02}-{:02}",
            self.year(),
            u8::from(self.month()),
            self.day()
        ));
        Ok(())
    }
}

impl ToParam for serde_json::Value {
    /// Strings as they are; anything else as JSON text.
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        out.push(match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        Ok(())
    }
}

impl<V: serde::Serialize> ToParam for std::collections::BTreeMap<String, V> {
    /// Objects go as JSON text.
    fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
        out.push(serde_json::to_string(self).map_err(|e| e.to_string())?);
        Ok(())
    }
}

/// A `prefixed-collapsible-map` as Twilio's SDKs send it (twilio-python's
/// `serialize.prefixed_collapsible_map`): each member is `<prefix>.<key>`,
/// nested objects are flattened with dots (`{"a": {"b": 1}}` under `AddOns` is
/// `AddOns.a.b=1`), text goes as it is, other values as their JSON text (`true`,
/// `1.5`), a list as repeated keys and `null` not at all.
pub fn collapsed_pairs(
    prefix: &str,
    map: &BTreeMap<String, serde_json::Value>,
    out: &mut Vec<(String, String)>,
) {
    fn walk(key: String, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => out.push((key, s.clone())),
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    walk(format!("{key}.{k}"), v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(key.clone(), item, out);
                }
            }
            other => out.push((key, other.to_string())),
        }
    }
    for (k, v) in map {
        walk(format!("{prefix}.{k}"), v, out);
    }
}

/// The text values of `value`, or the error naming `param`.
fn values(param: &'static str, value: &(impl ToParam + ?Sized)) -> Result<Vec<String>, Error> {
    let mut out = vec![];
    value
        .param_values(&mut out)
        .map_err(|reason| Error::invalid(param, reason))?;
    Ok(out)
}

/// The body of a request, as the operation's content type says.
#[derive(Debug)]
pub(crate) enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(serde_json::Map<String, serde_json::Value>),
}

impl Body {
    /// Content type and bytes to send, if there is a body.
    pub(crate) fn encode(&self) -> Result<Option<(&'static str, bytes::Bytes)>, Error> {
        Ok(match self {
            Body::None => None,
            Body::Form(pairs) => {
                let text = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish();
                Some(("application/x-www-form-urlencoded", text.into()))
            }
            Body::Json(map) => {
                // Cannot fail for a map of JSON values, but is not ignored if it did.
                let bytes = serde_json::to_vec(map)
                    .map_err(|e| Error::Config(format!("cannot encode the JSON body: {e}")))?;
                Some(("application/json", bytes.into()))
            }
        })
    }
}

/// A request under construction: everything the runtime needs to send it.
#[derive(Debug)]
pub struct Request {
    pub(crate) method: reqwest::Method,
    /// Scheme and host from the spec (`https://flex-api.twilio.com`).
    pub(crate) base_url: &'static str,
    /// The path template, for building the URL and for logs.
    pub(crate) template: &'static str,
    pub(crate) path_values: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    pub(crate) auth: bool,
    /// The OAuth 2 token endpoint (scheme and host, path) when the request may
    /// be authorised with a client-credentials access token instead.
    pub(crate) oauth2: Option<(&'static str, &'static str)>,
    /// Retry and timeout overrides for this request.
    pub(crate) options: RequestOptions,
    /// A later page of a list: the URL the API gave, used instead of the template.
    pub(crate) next_url: Option<reqwest::Url>,
    /// A non-2xx status that is this operation's documented outcome (a redirect
    /// whose body says where to go).
    pub(crate) accept_status: Option<u16>,
    /// The `Accept` media type when it is not `application/json`.
    pub(crate) accept: Option<&'static str>,
    /// The generated crate's `PII_MEMBERS`: members whose values error
    /// messages quoting a response body leave out.
    pub(crate) pii: &'static [&'static str],
}

impl Request {
    /// A request for `method` on `template`, served from `base_url`; `pii`
    /// names the response members whose values error messages leave out.
    pub fn new(
        method: reqwest::Method,
        base_url: &'static str,
        template: &'static str,
        auth: bool,
        options: RequestOptions,
        pii: &'static [&'static str],
    ) -> Self {
        Request {
            method,
            base_url,
            template,
            path_values: vec![],
            query: vec![],
            headers: vec![],
            body: Body::None,
            auth,
            oauth2: None,
            options,
            next_url: None,
            accept_status: None,
            accept: None,
            pii,
        }
    }

    /// Lets the request be authorised with an OAuth 2 access token from the
    /// client-credentials endpoint at `base_url` + `path` (see `Credentials`).
    pub fn oauth2_token_endpoint(&mut self, base_url: &'static str, path: &'static str) {
        self.oauth2 = Some((base_url, path));
    }

    /// Asks for the body as `media_type` (a JSON type such as
    /// `application/scim+json`) instead of `application/json`.
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = Some(media_type);
    }

    /// Treats `status` (a documented redirect) as success: its body is decoded.
    pub fn accept_status(&mut self, status: u16) {
        self.accept_status = Some(status);
    }

    /// Fills the `{name}` placeholder; the value is escaped as one path segment.
    /// Takes the value, so that owned text (a SID, a string) is kept without a copy.
    pub fn path(&mut self, name: &'static str, value: impl ToParam) -> Result<(), Error> {
        // Text (a SID, a string) is used as it is; a list is joined.
        let text = match value.into_text() {
            Ok(text) => text,
            Err(value) => match value.as_text() {
                Some(text) => text.to_string(),
                None => values(name, &value)?.join(","),
            },
        };
        self.path_values.push((name, text));
        Ok(())
    }

    /// Adds a query parameter (repeated for a list).
    pub fn query(&mut self, name: &'static str, value: &impl ToParam) -> Result<(), Error> {
        self.query.extend(
            values(name, value)?
                .into_iter()
                .map(|v| (name.to_string(), v)),
        );
        Ok(())
    }

    /// Adds a header (repeated for a list).
    pub fn header(&mut self, name: &'static str, value: &impl ToParam) -> Result<(), Error> {
        self.headers
            .extend(values(name, value)?.into_iter().map(|v| (name, v)));
        Ok(())
    }

    /// Whether query parameter `name` is set.
    pub(crate) fn has_query(&self, name: &str) -> bool {
        self.query.iter().any(|(n, _)| n == name)
    }

    /// Sets query parameter `name` to `value`, replacing any earlier value.
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(n, _)| n != name);
        self.query.push((name.to_string(), value));
    }

    /// Adds Twilio's `prefixed-collapsible-map` query parameters:
    /// `<prefix>.<key>=<value>` pairs (see [`collapsed_pairs`]).
    pub fn query_map(&mut self, prefix: &str, map: &BTreeMap<String, serde_json::Value>) {
        collapsed_pairs(prefix, map, &mut self.query);
    }

    /// Adds Twilio's `prefixed-collapsible-map` form fields:
    /// `<prefix>.<key>=<value>` pairs (see [`collapsed_pairs`]).
    pub fn form_map(&mut self, prefix: &str, map: &BTreeMap<String, serde_json::Value>) {
        self.form_body();
        if let Body::Form(pairs) = &mut self.body {
            collapsed_pairs(prefix, map, pairs);
        }
    }

    /// Marks the request as form-encoded, even when no field is set.
    pub fn form_body(&mut self) {
        if !matches!(self.body, Body::Form(_)) {
            self.body = Body::Form(vec![]);
        }
    }

    /// Adds a form field (repeated for a list).
    pub fn form(&mut self, name: &'static str, value: &impl ToParam) -> Result<(), Error> {
        let vals = values(name, value)?;
        self.form_body();
        if let Body::Form(pairs) = &mut self.body {
            pairs.extend(vals.into_iter().map(|v| (name.to_string(), v)));
        }
        Ok(())
    }

    /// Marks the request as a JSON object body, even when no member is set.
    pub fn json_body(&mut self) {
        if !matches!(self.body, Body::Json(_)) {
            self.body = Body::Json(serde_json::Map::new());
        }
    }

    /// Sets a member of the JSON body.
    pub fn json(&mut self, name: &'static str, value: &impl serde::Serialize) -> Result<(), Error> {
        let v = serde_json::to_value(value).map_err(|e| Error::invalid(name, e.to_string()))?;
        self.json_value(name, v);
        Ok(())
    }

    /// Sets the whole JSON body (an operation whose body lists no members).
    pub fn json_document(
        &mut self,
        name: &'static str,
        value: &impl serde::Serialize,
    ) -> Result<(), Error> {
        match serde_json::to_value(value).map_err(|e| Error::invalid(name, e.to_string()))? {
            serde_json::Value::Object(map) => {
                self.body = Body::Json(map);
                Ok(())
            }
            _ => Err(Error::invalid(name, "must be a JSON object")),
        }
    }

    /// Sets a member of the JSON body written as text the way a parameter is
    /// (dates and date-times, or a list of them).
    pub fn json_text(
        &mut self,
        name: &'static str,
        value: &impl ToParam,
        list: bool,
    ) -> Result<(), Error> {
        let mut vals = values(name, value)?;
        let v = if list {
            serde_json::Value::from(vals)
        } else {
            serde_json::Value::from(vals.pop().unwrap_or_default())
        };
        self.json_value(name, v);
        Ok(())
    }

    fn json_value(&mut self, name: &str, v: serde_json::Value) {
        self.json_body();
        if let Body::Json(map) = &mut self.body {
            map.insert(name.to_string(), v);
        }
    }

    /// The full URL: `url`, the base (the spec's host, or the client's
    /// override; taken by value so that it is not copied again), plus the path with every
    /// placeholder replaced by its escaped value.
    pub(crate) fn url(&self, mut url: reqwest::Url) -> Result<reqwest::Url, Error> {
        if url.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "base URL `{url}` cannot have a path"
            )));
        }
        {
            let mut segs = url
                .path_segments_mut()
                .map_err(|_| Error::Config("the base URL cannot have a path".into()))?;
            segs.pop_if_empty();
            let mut rest = self.template;
            while let Some(seg) = next_segment(&mut rest) {
                match seg.strip_prefix('{').and_then(split_placeholder) {
                    Some((name, suffix)) => {
                        let (param, value) = self
                            .path_values
                            .iter()
                            .find(|(n, _)| *n == name)
                            .ok_or_else(|| {
                                Error::Config(format!(
                                    "no value for `{{{name}}}` in `{}`",
                                    self.template
                                ))
                            })?;
                        // Such a segment would change which resource the URL names.
                        if value.is_empty() || value == "." || value == ".." {
                            return Err(Error::invalid(
                                param,
                                "may not be empty, `.` or `..` in a URL path",
                            ));
                        }
                        // The URL parser drops tabs and line breaks from what it
                        // is given (WHATWG URL), so `.\t.` would be sent as `..`
                        // and `a\nb` as `ab`: another resource. Such a value
                        // cannot be sent as given, so it is refused.
                        if value.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
                            return Err(Error::invalid(
                                param,
                                "may not contain a tab or line break in a URL path",
                            ));
                        }
                        // Most segments are the value alone: no copy for those.
                        if suffix.is_empty() {
                            segs.push(value);
                        } else {
                            segs.push(&format!("{value}{suffix}"));
                        }
                    }
                    None => {
                        segs.push(seg);
                    }
                }
            }
        }
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }
}

/// The next non-empty `/`-separated segment of a path template, advancing
/// `rest` past it. (Byte searches: this runs for every segment of every
/// request, and `str::split` with a `char` costs several times more.)
fn next_segment<'t>(rest: &mut &'t str) -> Option<&'t str> {
    let bytes = rest.as_bytes();
    let start = bytes.iter().position(|&b| b != b'/')?;
    let end = bytes[start..]
        .iter()
        .position(|&b| b == b'/')
        .map_or(bytes.len(), |n| start + n);
    // `/` is ASCII, so both ends are character boundaries.
    let seg = &rest[start..end];
    *rest = &rest[end..];
    Some(seg)
}

/// `Name}suffix` (a placeholder without its `{`) as the name and the suffix.
fn split_placeholder(s: &str) -> Option<(&str, &str)> {
    let end = s.bytes().position(|b| b == b'}')?;
    Some((&s[..end], &s[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::{collapsed_pairs, next_segment, split_placeholder};

    #[test]
    fn templates_split_into_non_empty_segments() {
        for template in [
            "/v1/Instances/{InstanceSid}/Teams",
            "v1//a/",
            "/",
            "",
            "//x//",
        ] {
            let mut rest = template;
            let mut got = vec![];
            while let Some(seg) = next_segment(&mut rest) {
                got.push(seg);
            }
            let want: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
            assert_eq!(got, want, "{template:?}");
        }
        assert_eq!(split_placeholder("Sid}.json"), Some(("Sid", ".json")));
        assert_eq!(split_placeholder("Sid}"), Some(("Sid", "")));
        assert_eq!(split_placeholder("Sid"), None);
    }
    use serde_json::json;

    #[test]
    fn collapsible_maps_flatten_like_twilio_python() {
        let map = serde_json::from_value(json!({
            "whitepages": {"mode": "full", "depth": {"max": 2, "strict": true}},
            "tags": ["a", "b"],
            "skipped": null,
        }))
        .unwrap();
        let mut out = vec![];
        collapsed_pairs("AddOns", &map, &mut out);
        // Nested members keep serde_json's map order (sorted, or as written
        // with its `preserve_order` feature): compared sorted.
        let mut got: Vec<(&str, &str)> =
            out.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("AddOns.tags", "a"),
                ("AddOns.tags", "b"),
                ("AddOns.whitepages.depth.max", "2"),
                ("AddOns.whitepages.depth.strict", "true"),
                ("AddOns.whitepages.mode", "full"),
            ]
        );
    }
}
