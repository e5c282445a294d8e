use std::fmt;

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Twilio answered with an error status; its error body is decoded.
    Api(Box<ApiError>),
    /// A parameter broke a constraint from the spec; nothing was sent.
    InvalidArgument {
        /// The parameter's name as the API spells it (`FlexUserSid`).
        param: &'static str,
        /// What was wrong with the value.
        reason: String,
    },
    /// The request did not complete (connection, TLS, protocol).
    Transport(reqwest::Error),
    /// The request or the connection attempt timed out.
    Timeout(reqwest::Error),
    /// A success response whose body could not be decoded.
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// What the decoder said.
        message: String,
        /// The start of the body (at most 512 bytes), for diagnosis, with the
        /// values of members the spec marks `x-twilio.pii` left out.
        body_excerpt: String,
    },
    /// A success response body was larger than the client reads; the rest of
    /// it was not read. Raise the bound with
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)
    /// (or ask for smaller pages).
    ResponseTooLarge {
        /// HTTP status of the response.
        status: u16,
        /// The bound, in bytes.
        limit: usize,
    },
    /// A list's next page was not followed, and nothing was sent to it: it
    /// would leave the configured host, or the list would loop.
    Pagination {
        /// The next-page URL (or token) the API gave, cut to 200 characters.
        next_page: String,
        /// Why it was refused (another host, an unusable URL, a page seen
        /// before, too many empty pages).
        reason: String,
    },
    /// The client could not be configured (missing environment variable, bad URL).
    Config(String),
}

/// Twilio's error body (`code`, `message`, `more_info`, `status`, `details`) plus
/// what the HTTP response itself says.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: u16,
    /// Twilio's error code (see `more_info`).
    pub code: Option<i64>,
    /// Twilio's message, or the start of the body when it was not Twilio's JSON.
    pub message: String,
    /// Link to the documentation of `code`.
    pub more_info: Option<String>,
    /// Extra details Twilio attached, as sent.
    pub details: Option<serde_json::Value>,
    /// The `Twilio-Request-Id` response header, to quote to Twilio support.
    pub request_id: Option<String>,
}

impl Error {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the failure is transient, so the same request may succeed later:
    /// a rate limit (429), a gateway or availability error (502, 503, 504), a
    /// timeout or a transport failure. The client's [`RetryPolicy`](crate::RetryPolicy)
    /// has already retried where that was safe; this tells the caller whether
    /// trying again later makes sense.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e.status, 429 | 502 | 503 | 504),
            Error::Transport(_) | Error::Timeout(_) => true,
            Error::InvalidArgument { .. }
            | Error::Decode { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Pagination { .. }
            | Error::Config(_) => false,
        }
    }

    /// The `Twilio-Request-Id` of the response, when Twilio sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn invalid(param: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            param,
            reason: reason.into(),
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Error::Timeout(e)
        } else {
            Error::Transport(e)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "Twilio returned HTTP {}", e.status)?;
                if let Some(code) = e.code {
                    write!(f, " (error {code})")?;
                }
                write!(f, ": {}", e.message)?;
                if let Some(id) = &e.request_id {
                    write!(f, " [request {id}]")?;
                }
                Ok(())
            }
            Error::InvalidArgument { param, reason } => {
                write!(f, "invalid argument `{param}`: {reason}")
            }
            Error::Transport(e) => {
                write!(f, "request failed: {e}")?;
                write_causes(f, e)
            }
            Error::Timeout(e) => {
                write!(f, "request timed out: {e}")?;
                write_causes(f, e)
            }
            Error::Decode {
                status,
                message,
                body_excerpt,
            } => {
                write!(
                    f,
                    "cannot decode the HTTP {status} response body: {message}"
                )?;
                let start: String = body_excerpt.chars().take(80).collect();
                let more = if start.len() < body_excerpt.len() { "…" } else { "" };
                write!(f, " (body starts `{start}{more}`)")
            }
            Error::ResponseTooLarge { status, limit } => write!(
                f,
                "the HTTP {status} response body is larger than {limit} bytes, the most this client reads; raise it with ClientBuilder::max_response_bytes"
            ),
            Error::Pagination { next_page, reason } => {
                write!(f, "not following the next page `{next_page}`: {reason}")
            }
            Error::Config(m) => write!(f, "client configuration: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            _ => None,
        }
    }
}

/// Appends the chain of causes (`: connection reset by peer`): reqwest's own
/// message names only the URL, and most callers print just `{error}`.
fn write_causes(f: &mut fmt::Formatter<'_>, e: &reqwest::Error) -> fmt::Result {
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        write!(f, ": {c}")?;
        cause = c.source();
    }
    Ok(())
}

/// The start of a body for error messages: at most 512 bytes, cut at a
/// character boundary, with the values of members the spec marks
/// `x-twilio.pii` (`pii`: the generated crate's `PII_MEMBERS`, passed in with
/// each request) replaced by `<redacted>`.
pub(crate) fn excerpt_redacting(body: &[u8], pii: &[&str]) -> String {
    const MAX: usize = 512;
    // Redacting can only shorten a long value, so a window a few times the
    // excerpt still fills it after redaction.
    let window = &body[..body.len().min(MAX * 8)];
    let text = redact(&String::from_utf8_lossy(window), pii);
    let mut s: String = text
        .chars()
        .scan(0, |len, c| {
            *len += c.len_utf8();
            (*len <= MAX).then_some(c)
        })
        .collect();
    if s.len() < text.len() || body.len() > window.len() {
        s.push('…');
    }
    s
}

/// `text` (JSON, possibly cut or invalid) with the string value of every
/// member named in `pii` replaced by `"<redacted>"`. A lexical pass: it needs no
/// valid document, and leaves everything else as it was.
fn redact(text: &str, pii: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Whether the string just copied was a member name in `pii`.
    let mut pii_key = false;
    while let Some(start) = rest.find('"') {
        let (before, from_quote) = rest.split_at(start);
        out.push_str(before);
        let len = string_len(from_quote);
        let token = &from_quote[..len];
        let after = &from_quote[len..];
        let trimmed = before.trim();
        if pii_key && trimmed == ":" {
            out.push_str("\"<redacted>\"");
            pii_key = false;
        } else {
            out.push_str(token);
            let name = token.trim_start_matches('"').trim_end_matches('"');
            pii_key = pii.contains(&name) && after.trim_start().starts_with(':');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The length of the JSON string token at the start of `s` (which starts with
/// `"`), closing quote included; the rest of `s` if it is never closed.
fn string_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    s.len()
}

/// Builds the error for a non-success response.
///
/// `pii` names the members whose values a quoted body leaves out.
pub(crate) fn api_error(
    status: u16,
    request_id: Option<String>,
    body: &[u8],
    pii: &[&str],
) -> Error {
    #[derive(serde::Deserialize)]
    struct Body {
        code: Option<i64>,
        message: Option<String>,
        more_info: Option<String>,
        details: Option<serde_json::Value>,
    }
    let decoded = serde_json::from_slice::<Body>(body).ok();
    let (code, message, more_info, details) = match decoded {
        Some(b) => (
            b.code,
            b.message.unwrap_or_else(|| excerpt_redacting(body, pii)),
            b.more_info,
            b.details,
        ),
        None => (None, excerpt_redacting(body, pii), None, None),
    };
    Error::Api(Box::new(ApiError {
        status,
        code,
        message,
        more_info,
        details,
        request_id,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_leave_out_pii_values_and_keep_the_rest() {
        let pii = &["email", "friendly_name"];
        let body = br#"{"email" : "a\"b@x.com", "friendly_name":null, "n":1, "sid":"QO1", "friendly_name":"Jo", "list":["email"]}"#;
        assert_eq!(
            excerpt_redacting(body, pii),
            r#"{"email" : "<redacted>", "friendly_name":null, "n":1, "sid":"QO1", "friendly_name":"<redacted>", "list":["email"]}"#
        );
        // A value cut off by the end of what was read is still left out.
        assert_eq!(
            excerpt_redacting(br#"{"email":"jane@exa"#, pii),
            r#"{"email":"<redacted>""#
        );
        // Not JSON at all: unchanged, cut to 512 bytes.
        let page = "<html>".repeat(200);
        let e = excerpt_redacting(page.as_bytes(), pii);
        assert_eq!(e.len(), 512 + '…'.len_utf8());
        assert!(e.ends_with('…'));
    }
}
