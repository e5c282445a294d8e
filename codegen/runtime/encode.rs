//! How parameter values go on the wire, following Twilio's own SDKs: arrays as
//! repeated keys, booleans as `true`/`false`, date-times as UTC ISO 8601 to the
//! second, dates as `YYYY-MM-DD`, objects as JSON text.

use super::Error;

/// A value that can be sent as a query, form or header parameter.
pub trait ToParam {
    /// Appends `key=value` pairs for this value (several for a list).
    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>);
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
                out.push((key.to_string(), self.to_string()));
            }
        }
    )*};
}
display_param!(String, str, bool, i32, i64, f64);

impl<T: ToParam + ?Sized> ToParam for &T {
    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
        (**self).push_param(key, out)
    }
}

impl<T: ToParam> ToParam for Vec<T> {
    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
        for v in self {
            v.push_param(key, out);
        }
    }
}

impl ToParam for time::OffsetDateTime {
    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
        let utc = self
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap_or(*self);
        let text = utc
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| utc.to_string());
        out.push((key.to_string(), text));
    }
}

impl ToParam for time::Date {
    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
        out.push((
            key.to_string(),
            format!(
                "{:04}-{:02}-{:02}",
                self.year(),
                u8::from(self.month()),
                self.day()
            ),
        ));
    }
}

impl ToParam for serde_json::Value {
    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
        let text = match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push((key.to_string(), text));
    }
}

impl<V: serde::Serialize> ToParam for std::collections::BTreeMap<String, V> {
    fn push_param(&self, key: &str, out: &mut Vec<(String, String)>) {
        let text = serde_json::to_string(self).unwrap_or_default();
        out.push((key.to_string(), text));
    }
}

/// The body of a request, as the operation's content type says.
#[derive(Debug)]
pub(crate) enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(serde_json::Map<String, serde_json::Value>),
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
}

impl Request {
    /// A request for `method` on `template`, served from `base_url`.
    pub fn new(method: &str, base_url: &'static str, template: &'static str, auth: bool) -> Self {
        Request {
            method: reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET),
            base_url,
            template,
            path_values: vec![],
            query: vec![],
            headers: vec![],
            body: Body::None,
            auth,
        }
    }

    /// Fills the `{name}` placeholder; the value is escaped as one path segment.
    pub fn path(&mut self, name: &'static str, value: &impl ToParam) {
        let mut pairs = vec![];
        value.push_param(name, &mut pairs);
        let text = pairs
            .into_iter()
            .map(|(_, v)| v)
            .collect::<Vec<_>>()
            .join(",");
        self.path_values.push((name, text));
    }

    /// Adds a query parameter (repeated for a list).
    pub fn query(&mut self, name: &str, value: &impl ToParam) {
        value.push_param(name, &mut self.query);
    }

    /// Adds a header.
    pub fn header(&mut self, name: &'static str, value: &impl ToParam) {
        let mut pairs = vec![];
        value.push_param(name, &mut pairs);
        self.headers
            .extend(pairs.into_iter().map(|(_, v)| (name, v)));
    }

    /// Marks the request as form-encoded, even when no field is set.
    pub fn form_body(&mut self) {
        if !matches!(self.body, Body::Form(_)) {
            self.body = Body::Form(vec![]);
        }
    }

    /// Adds a form field (repeated for a list).
    pub fn form(&mut self, name: &str, value: &impl ToParam) {
        self.form_body();
        if let Body::Form(pairs) = &mut self.body {
            value.push_param(name, pairs);
        }
    }

    /// Marks the request as a JSON object body, even when no member is set.
    pub fn json_body(&mut self) {
        if !matches!(self.body, Body::Json(_)) {
            self.body = Body::Json(serde_json::Map::new());
        }
    }

    /// Sets a member of the JSON body.
    pub fn json(&mut self, name: &'static str, value: &impl serde::Serialize) -> Result<(), Error> {
        self.json_body();
        let v = serde_json::to_value(value).map_err(|e| Error::invalid(name, e.to_string()))?;
        if let Body::Json(map) = &mut self.body {
            map.insert(name.to_string(), v);
        }
        Ok(())
    }

    /// The full URL: `base` (the spec's host, or the client's override) plus the
    /// path with every placeholder replaced by its escaped value.
    pub(crate) fn url(&self, base: &reqwest::Url) -> Result<reqwest::Url, Error> {
        let mut url = base.clone();
        {
            let mut segs = url
                .path_segments_mut()
                .map_err(|_| Error::Config(format!("base URL `{base}` cannot have a path")))?;
            segs.pop_if_empty();
            for seg in self.template.split('/').filter(|s| !s.is_empty()) {
                match seg.strip_prefix('{').and_then(|s| s.split_once('}')) {
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
                        segs.push(&format!("{value}{suffix}"));
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
