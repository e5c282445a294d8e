//! Helpers shared by the generated client's test binaries.
// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use twilio_flex::{Client, Credentials, Error};

/// The auth token of every test client; tests check it never leaks into output.
pub const TOKEN: &str = "secret-token-123";

/// A client with test credentials that sends every request to `url`.
pub fn client_for(url: &str) -> Client {
    Client::builder(Credentials::auth_token(
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        TOKEN,
    ))
    .base_url(url)
    .build()
    .expect("client")
}

/// The Prism mock server that `cargo xtask test` started from the merged specs.
pub fn prism_url() -> String {
    std::env::var("TWILIO_PRISM_URL")
        .expect("TWILIO_PRISM_URL is not set: run the contract tests with `cargo xtask test`, which starts Prism")
}

pub fn prism_client() -> Client {
    client_for(&prism_url())
}

/// A loopback listener that never answers, and a client pointed at it: after a
/// call, `assert_no_connection` proves the client did not even connect.
pub struct Silent {
    pub listener: TcpListener,
    pub client: Client,
}

impl Silent {
    pub fn new() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let client = client_for(&format!("http://{}", listener.local_addr().unwrap()));
        Silent { listener, client }
    }

    pub fn assert_no_connection(&self) {
        match self.listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("the client connected although validation failed: {other:?}"),
        }
    }
}

/// The named response example of `operation_id` in the committed spec `spec_file`.
pub fn spec_example(spec_file: &str, operation_id: &str, example: &str) -> serde_json::Value {
    let path = format!("{}/../specs/{spec_file}", env!("CARGO_MANIFEST_DIR"));
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let op = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .find(|op| op["operationId"] == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id} in {path}"));
    let (_, response) = op["responses"].as_object().unwrap().iter().next().unwrap();
    let value = response["content"]["application/json"]["examples"][example]["value"].clone();
    assert!(!value.is_null(), "no example {example} of {operation_id}");
    value
}

/// The decoded value, written back as JSON, is exactly the spec's example: no
/// field lost, renamed or reformatted on the way through the typed model. A
/// `null` in the example decodes to `None`, which is written back as an absent
/// member, so nulls are removed from the example before comparing.
pub fn assert_round_trips(
    decoded: &impl serde::Serialize,
    spec_file: &str,
    operation_id: &str,
    example: &str,
) {
    fn without_nulls(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => m
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
            serde_json::Value::Array(a) => a.into_iter().map(without_nulls).collect(),
            other => other,
        }
    }
    assert_eq!(
        serde_json::to_value(decoded).unwrap(),
        without_nulls(spec_example(spec_file, operation_id, example))
    );
}

/// `err` is a client-side rejection naming `param`.
pub fn assert_invalid_argument(err: Error, param: &str) {
    let text = err.to_string();
    match err {
        Error::InvalidArgument { param: p, reason } => {
            assert_eq!(p, param, "reason: {reason}");
            assert!(text.contains(param), "Display names the parameter: {text}");
        }
        other => panic!("expected InvalidArgument({param}), got {other:?}"),
    }
}

/// Serves one canned HTTP response on a loopback port; returns the base URL and a
/// handle that yields the raw request it received.
pub fn serve_once(
    status: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut response = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        response.push_str(&format!("{k}: {v}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(body);
    let handle = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 64 * 1024];
        let mut request = Vec::new();
        // Read until the end of the headers (these requests have no body).
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        conn.write_all(response.as_bytes()).unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    (url, handle)
}

/// Records every span and event field (all levels, all crates) as text.
#[derive(Clone, Default)]
pub struct Capture(pub std::sync::Arc<std::sync::Mutex<String>>);

impl tracing::field::Visit for Capture {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let line = format!(" {}={:?}", field.name(), value);
        self.0.lock().unwrap().push_str(&line);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.0
            .lock()
            .unwrap()
            .push_str(&format!("\nspan {}:", span.metadata().name()));
        span.record(&mut self.clone());
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.0.lock().unwrap().push_str("\nrecord:");
        values.record(&mut self.clone());
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        self.0
            .lock()
            .unwrap()
            .push_str(&format!("\nevent {}:", event.metadata().target()));
        event.record(&mut self.clone());
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
