//! How parameter values go on the wire, following Twilio's own SDKs: arrays as
//! repeated keys, booleans as `true`/`false`, date-times as UTC ISO 8601 to the
//! second, dates as `YYYY-MM-DD`, objects as JSON text.

use super::{Error, RequestOptions};

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
        out.push(format!("{:04}-{:02}-{:02}", self.year(), u8::from(self.month()), self.day()));
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

/// The text values of `value`, or the error naming `param`.
fn values(param: &'static str, value: &(impl ToParam + ?Sized)) -> Result<Vec<String>, Error> {
    let mut out = vec![];
    value.param_values(&mut out).map_err(|reason| Error::invalid(param, reason))?;
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
    /// Retry and timeout overrides for this request.
    pub(crate) options: RequestOptions,
    /// A later page of a list: the URL the API gave, used instead of the template.
    pub(crate) next_url: Option<reqwest::Url>,
    /// A non-2xx status that is this operation's documented outcome (a redirect
    /// whose body says where to go).
    pub(crate) accept_status: Option<u16>,
}

impl Request {
    /// A request for `method` on `template`, served from `base_url`.
    pub fn new(
        method: reqwest::Method,
        base_url: &'static str,
        template: &'static str,
        auth: bool,
        options: RequestOptions,
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
            options,
            next_url: None,
            accept_status: None,
        }
    }

    /// Treats `status` (a documented redirect) as success: its body is decoded.
    pub fn accept_status(&mut self, status: u16) {
        self.accept_status = Some(status);
    }

    /// Fills the `{name}` placeholder; the value is escaped as one path segment.
    pub fn path(&mut self, name: &'static str, value: &impl ToParam) -> Result<(), Error> {
        // Text (a SID, a string) is used as it is; a list is joined.
        let text = match value.as_text() {
            Some(text) => text.to_string(),
            None => values(name, value)?.join(","),
        };
        self.path_values.push((name, text));
        Ok(())
    }

    /// Adds a query parameter (repeated for a list).
    pub fn query(&mut self, name: &'static str, value: &impl ToParam) -> Result<(), Error> {
        self.query.extend(values(name, value)?.into_iter().map(|v| (name.to_string(), v)));
        Ok(())
    }

    /// Adds a header (repeated for a list).
    pub fn header(&mut self, name: &'static str, value: &impl ToParam) -> Result<(), Error> {
        self.headers.extend(values(name, value)?.into_iter().map(|v| (name, v)));
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
    pub fn json_document(&mut self, name: &'static str, value: &impl serde::Serialize) -> Result<(), Error> {
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
    pub fn json_text(&mut self, name: &'static str, value: &impl ToParam, list: bool) -> Result<(), Error> {
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

    /// The full URL: `base` (the spec's host, or the client's override) plus the
    /// path with every placeholder replaced by its escaped value, and the query.
    /// Written as text and parsed once, as a hand-written `reqwest` call would.
    pub(crate) fn url(&self, base: &str) -> Result<reqwest::Url, Error> {
        use percent_encoding::utf8_percent_encode;
        let base = base.split(['?', '#']).next().unwrap_or(base).trim_end_matches('/');
        let mut text = String::with_capacity(base.len() + self.template.len() + 64);
        text.push_str(base);
        for seg in self.template.split('/').filter(|s| !s.is_empty()) {
            text.push('/');
            match seg.strip_prefix('{').and_then(|s| s.split_once('}')) {
                Some((name, suffix)) => {
                    let (param, value) = self
                        .path_values
                        .iter()
                        .find(|(n, _)| *n == name)
                        .ok_or_else(|| {
                            Error::Config(format!("no value for `{{{name}}}` in `{}`", self.template))
                        })?;
                    // Such a segment would change which resource the URL names.
                    if value.is_empty() || value == "." || value == ".." {
                        return Err(Error::invalid(
                            param,
                            "may not be empty, `.` or `..` in a URL path",
                        ));
                    }
                    text.extend(utf8_percent_encode(value, PATH_SEGMENT));
                    text.extend(utf8_percent_encode(suffix, PATH_SEGMENT));
                }
                None => text.extend(utf8_percent_encode(seg, PATH_SEGMENT)),
            }
        }
        if !self.query.is_empty() {
            text.push('?');
            let start = text.len();
            text = form_urlencoded::Serializer::for_suffix(text, start)
                .extend_pairs(&self.query)
                .finish();
        }
        reqwest::Url::parse(&text)
            .map_err(|e| Error::Config(format!("cannot make a URL of `{base}` and `{}`: {e}", self.template)))
    }
}

/// What is escaped in one path segment: exactly what `url`'s own
/// `path_segments_mut().push()` escapes for http(s) URLs (the WHATWG path set,
/// plus `/`, `%` and `\\`), so a value is always one segment and never a `..`.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\');

#[cfg(test)]
mod tests {
    use super::*;

    /// The URL `url`'s own segment and query API would build from the same parts.
    fn by_url_api(base: &str, segments: &[&str], query: &[(&str, &str)]) -> reqwest::Url {
        let mut url = reqwest::Url::parse(base).unwrap();
        url.path_segments_mut().unwrap().pop_if_empty().extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    #[test]
    fn urls_escape_every_value_as_one_segment_like_the_url_crate() {
        let hostile = [
            "QO1", "a/b", "a b", "ü€", "a\\b", "a?b#c", "{x}", "%2e%2e", "%2F", "a%b", "`<\">'",
            "a;b,c=d&e", "..a", "\u{7f}\u{1}",
        ];
        for value in hostile {
            let mut req = Request::new(
                reqwest::Method::GET,
                "https://flex-api.twilio.com",
                "/v1/Instances/{InstanceSid}/Teams/{Sid}.json",
                true,
                RequestOptions::default(),
            );
            req.path("InstanceSid", &"GO1").unwrap();
            req.path("Sid", &value).unwrap();
            req.query("PageSize", &2).unwrap();
            req.query("Owner", &value).unwrap();
            for base in ["https://flex-api.twilio.com", "http://127.0.0.1:4010/", "http://proxy/prefix/"] {
                let got = req.url(base).unwrap();
                let sid = format!("{value}.json");
                let expected = by_url_api(
                    base,
                    &["v1", "Instances", "GO1", "Teams", &sid],
                    &[("PageSize", "2"), ("Owner", value)],
                );
                assert_eq!(got, expected, "{value:?} on {base}");
                assert_eq!(got.path_segments().unwrap().count(), expected.path_segments().unwrap().count());
            }
        }
    }

    #[test]
    fn empty_and_dot_segments_are_refused() {
        for value in ["", ".", ".."] {
            let mut req = Request::new(
                reqwest::Method::GET,
                "https://flex-api.twilio.com",
                "/v1/Teams/{Sid}",
                true,
                RequestOptions::default(),
            );
            req.path("Sid", &value).unwrap();
            assert!(matches!(req.url("https://flex-api.twilio.com"), Err(Error::InvalidArgument { param: "Sid", .. })));
        }
    }
}
