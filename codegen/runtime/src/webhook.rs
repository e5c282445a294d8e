//! Checking that a webhook request came from Twilio: the `X-Twilio-Signature`
//! header, as Twilio's SDKs check it.
//!
//! Twilio signs each webhook with the account's auth token: HMAC-SHA1 over the
//! full URL it called, followed (for a form body) by every POST parameter's name
//! and value, sorted by name; the header holds the digest in base64. A JSON body
//! is not signed itself: Twilio adds `bodySHA256=<hex SHA-256 of the body>` to
//! the URL's query and signs the URL alone.
//!
//! A proxy may add or remove the default port (`:443`, `:80`) on the way to
//! your server, so, as twilio-node, -python and -go do, a URL with a port is also
//! tried without it, and a URL without one is also tried with the scheme's
//! default port.

use base64::Engine as _;
use ring::{digest, hmac};
use std::fmt;

/// Checks the `X-Twilio-Signature` of webhook requests against an auth token.
///
/// ```
/// use twilio_runtime::RequestValidator;
///
/// let validator = RequestValidator::new("12345");
/// let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
/// let params = [
///     ("CallSid", "CA1234567890ABCDE"),
///     ("Caller", "+14158675309"),
///     ("Digits", "1234"),
///     ("From", "+14158675309"),
///     ("To", "+18005551212"),
/// ];
/// assert!(validator.validate(url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
/// assert!(!validator.validate(url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8X"));
/// ```
///
/// `url` is the URL Twilio called: the scheme and host your users configured
/// (not the address a reverse proxy forwarded to), with the query string as sent.
#[derive(Clone)]
pub struct RequestValidator {
    key: hmac::Key,
}

impl fmt::Debug for RequestValidator {
    // The key is the auth token: never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestValidator").finish_non_exhaustive()
    }
}

impl RequestValidator {
    /// A validator for webhooks signed with this auth token (the primary auth
    /// token of the account the webhook belongs to).
    pub fn new(auth_token: impl AsRef<[u8]>) -> Self {
        RequestValidator {
            key: hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, auth_token.as_ref()),
        }
    }

    /// Whether `signature` (the `X-Twilio-Signature` header) signs a request to
    /// `url` with these POST parameters (a form body, decoded; a parameter may
    /// repeat). For a GET webhook pass no parameters: they are in `url`.
    pub fn validate<I, K, V>(&self, url: &str, params: I, signature: &str) -> bool
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let params = sorted_params(params);
        self.validate_signed(url, &params, signature)
    }

    /// Like [`validate`](Self::validate) for a raw `application/x-www-form-urlencoded`
    /// body, decoded here.
    pub fn validate_form_body(&self, url: &str, body: &[u8], signature: &str) -> bool {
        self.validate(url, form_urlencoded::parse(body), signature)
    }

    /// Whether `signature` signs a request to `url` with this (JSON) body: the
    /// URL's `bodySHA256` query parameter must be the body's SHA-256 and the
    /// signature must sign the URL. False when the URL has no `bodySHA256`.
    pub fn validate_json_body(&self, url: &str, body: &[u8], signature: &str) -> bool {
        let Some(expected) = query_param(url, "bodySHA256") else {
            return false;
        };
        let actual = body_sha256(body);
        // Both sides are computed from the request; compared in constant time
        // all the same, as a matter of hygiene.
        let hash_ok = constant_time_eq(actual.as_bytes(), expected.to_ascii_lowercase().as_bytes());
        // Evaluated whatever the hash said, so timing does not tell which failed.
        let signature_ok = self.validate_signed(url, &[], signature);
        hash_ok & signature_ok
    }

    /// The signature Twilio would send for `url` and these POST parameters
    /// (base64 HMAC-SHA1), for tests that play Twilio's part.
    pub fn signature<I, K, V>(&self, url: &str, params: I) -> String
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let tag = hmac::sign(&self.key, &signed_data(url, &sorted_params(params)));
        base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
    }

    fn validate_signed(&self, url: &str, params: &[(String, String)], signature: &str) -> bool {
        let Ok(tag) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
            return false;
        };
        let mut ok = false;
        for candidate in url_variants(url) {
            // ring's verify compares in constant time.
            ok |= hmac::verify(&self.key, &signed_data(&candidate, params), &tag).is_ok();
        }
        ok
    }
}

/// The lowercase hex SHA-256 of `body`, as Twilio writes it in `bodySHA256`.
pub fn body_sha256(body: &[u8]) -> String {
    digest::digest(&digest::SHA256, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parameters sorted by name, and the values of a repeated name sorted too (as
/// twilio-python sorts a multi-valued dictionary).
fn sorted_params<I, K, V>(params: I) -> Vec<(String, String)>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut params: Vec<(String, String)> = params
        .into_iter()
        .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
        .collect();
    params.sort();
    params
}

/// What is signed: the URL, then each name immediately followed by its value.
fn signed_data(url: &str, params: &[(String, String)]) -> Vec<u8> {
    let mut data = url.as_bytes().to_vec();
    for (k, v) in params {
        data.extend_from_slice(k.as_bytes());
        data.extend_from_slice(v.as_bytes());
    }
    data
}

/// The URL as given, plus the same URL without its port if it has one, or with
/// the scheme's default port if it has none. Done on the text (a URL parser would
/// normalise away a default port and re-encode the path, changing what was signed).
fn url_variants(url: &str) -> Vec<String> {
    let mut out = vec![url.to_string()];
    let Some(scheme_end) = url.find("://") else {
        return out;
    };
    let scheme = url[..scheme_end].to_ascii_lowercase();
    let start = scheme_end + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let authority = &url[start..end];
    // Userinfo (before `@`) and an IPv6 literal (`[::1]`) may hold colons too.
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_port = &authority[host_start..];
    let port_colon = host_port
        .rfind(':')
        .filter(|&i| !host_port[i..].contains(']'));
    let variant = match port_colon {
        Some(i) => host_port[..i].to_string(),
        None => match scheme.as_str() {
            "https" => format!("{host_port}:443"),
            "http" => format!("{host_port}:80"),
            _ => return out,
        },
    };
    out.push(format!(
        "{}{}{}",
        &url[..start + host_start],
        variant,
        &url[end..]
    ));
    out
}

/// The first value of query parameter `name` in `url`, decoded.
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split('#').next()?.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Equal bytes, in time that depends only on the lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    //! Test vectors (URL, token, parameters, signature) are those of Twilio's own
    //! SDK test suites: twilio-python `tests/unit/test_request_validator.py` and
    //! twilio-go `client/request_validator_test.go` (the same values), and the
    //! JSON example of Twilio's security docs (twilio-samples/api-snippets
    //! `security/signature_validation_json/`).
    use super::*;

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const SIGNATURE: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    const BODY: &str = r#"{"property": "value", "boolean": true}"#;
    const BODY_HASH: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    fn params() -> Vec<(&'static str, &'static str)> {
        // Deliberately not in sorted order: the validator sorts.
        vec![
            ("To", "+18005551212"),
            ("Digits", "1234"),
            ("CallSid", "CA1234567890ABCDE"),
            ("From", "+14158675309"),
            ("Caller", "+14158675309"),
        ]
    }

    fn v() -> RequestValidator {
        RequestValidator::new(TOKEN)
    }

    #[test]
    fn computes_twilios_published_signature() {
        assert_eq!(v().signature(URL, params()), SIGNATURE);
    }

    #[test]
    fn validates_the_published_signature_and_rejects_tampering() {
        assert!(v().validate(URL, params(), SIGNATURE));
        assert!(!v().validate(URL, params(), "WRONG SIGNATURE"));
        assert!(!v().validate(URL, params(), ""));
        // Another token, URL, parameter value, or an extra or missing parameter.
        assert!(!RequestValidator::new("12346").validate(URL, params(), SIGNATURE));
        assert!(!v().validate(&URL.replace("foo=1", "foo=2"), params(), SIGNATURE));
        let mut changed = params();
        changed[1].1 = "1235";
        assert!(!v().validate(URL, changed, SIGNATURE));
        let mut extra = params();
        extra.push(("Extra", ""));
        assert!(!v().validate(URL, extra, SIGNATURE));
        assert!(!v().validate(URL, params().split_off(1), SIGNATURE));
        // One flipped bit of the signature.
        let mut tag = base64::engine::general_purpose::STANDARD
            .decode(SIGNATURE)
            .unwrap();
        tag[0] ^= 1;
        let flipped = base64::engine::general_purpose::STANDARD.encode(tag);
        assert!(!v().validate(URL, params(), &flipped));
    }

    #[test]
    fn repeated_parameters_are_sorted_by_value_too() {
        // twilio-python's `test_compute_signature_duplicate_*`.
        let params = [
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
        ];
        assert_eq!(v().signature(URL, params), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
        assert!(v().validate(URL, params, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    }

    #[test]
    fn a_form_body_is_decoded_before_checking() {
        let body = "To=%2B18005551212&Digits=1234&CallSid=CA1234567890ABCDE&From=%2B14158675309&Caller=%2B14158675309";
        assert!(v().validate_form_body(URL, body.as_bytes(), SIGNATURE));
        assert!(!v().validate_form_body(URL, b"To=%2B18005551212", SIGNATURE));
    }

    #[test]
    fn ports_are_tried_with_and_without_as_twilios_sdks_do() {
        // Signed without a port, received with one.
        let with_port = URL.replace(".com", ".com:1234");
        assert!(v().validate(&with_port, params(), SIGNATURE));
        // Signed with the default port (https :443), received without it.
        assert!(v().validate(URL, params(), "kvajT1Ptam85bY51eRf/AJRuM3w="));
        // http: signed with :80, received without; signed with :1234, received so.
        let http = URL.replace("https", "http");
        assert!(v().validate(&http, params(), "0ZXoZLH/DfblKGATFgpif+LLRf4="));
        let http_port = with_port.replace("https", "http");
        assert!(v().validate(&http_port, params(), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="));
        // The http signature does not pass for https: the scheme is signed.
        assert!(!v().validate(URL, params(), "0ZXoZLH/DfblKGATFgpif+LLRf4="));
    }

    #[test]
    fn url_variants_edit_only_the_port() {
        assert_eq!(
            url_variants("https://u:p@h.com:8443/a:b?c=d:e"),
            [
                "https://u:p@h.com:8443/a:b?c=d:e",
                "https://u:p@h.com/a:b?c=d:e"
            ]
        );
        assert_eq!(
            url_variants("http://[::1]/x"),
            ["http://[::1]/x", "http://[::1]:80/x"]
        );
        assert_eq!(url_variants("no scheme"), ["no scheme"]);
    }

    #[test]
    fn a_json_body_is_checked_through_body_sha256() {
        assert_eq!(body_sha256(BODY.as_bytes()), BODY_HASH);
        let url = format!("{URL}&bodySHA256={BODY_HASH}");
        assert!(v().validate_json_body(&url, BODY.as_bytes(), "a9nBmqA0ju/hNViExpshrM61xv4="));
        let only = format!("https://mycompany.com/myapp.php?bodySHA256={BODY_HASH}");
        assert!(v().validate_json_body(&only, BODY.as_bytes(), "y77kIzt2vzLz71DgmJGsen2scGs="));
        // A changed body, a URL without the hash, a wrong signature.
        let tampered = BODY.replace("true", "false");
        assert!(!v().validate_json_body(&url, tampered.as_bytes(), "a9nBmqA0ju/hNViExpshrM61xv4="));
        assert!(!v().validate_json_body(URL, BODY.as_bytes(), SIGNATURE));
        assert!(!v().validate_json_body(&url, BODY.as_bytes(), SIGNATURE));
    }

    #[test]
    fn the_body_hash_of_twilios_docs_json_example() {
        // The docs' example gives the body and the URL's `bodySHA256`, not the token.
        let body = r#"{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}"#;
        assert_eq!(
            body_sha256(body.as_bytes()),
            "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9"
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        assert!(!format!("{:?}", RequestValidator::new("secret-token")).contains("secret"));
    }
}
