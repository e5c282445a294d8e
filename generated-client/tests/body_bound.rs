//! Response bodies are read up to a bound, never whole: the peak of live heap
//! bytes (a counting global allocator, so this is a test binary of its own with
//! a single test) while a loopback server sends a body that never ends stays
//! under the bound plus a small margin. Before issue 11 the body was read with
//! `bytes()`, and this test's server would have filled 256 MiB.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use twilio_flex::prelude::*;
use twilio_flex::{Client, Credentials, Error, RetryPolicy};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const MIB: usize = 1024 * 1024;
/// What the server sends at most, whatever the client does: far above any
/// bound tested, so reading it whole would show.
const SERVER_LIMIT: usize = 256 * MIB;
static CHUNK: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// Serves one response on a loopback port: `head` (status line and headers),
/// then chunked blocks of spaces until `SERVER_LIMIT` or until the client hangs
/// up. Writes from a static buffer, so the server allocates nothing per block.
fn serve_endless(head: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let mut seen = 0;
        let mut request = [0u8; 8192];
        while !request[..seen].windows(4).any(|w| w == b"\r\n\r\n") && seen < request.len() {
            let n = conn.read(&mut buf).unwrap_or(0);
            if n == 0 {
                return;
            }
            let n = n.min(request.len() - seen);
            request[seen..seen + n].copy_from_slice(&buf[..n]);
            seen += n;
        }
        if conn.write_all(head.as_bytes()).is_err() {
            return;
        }
        let mut sent = 0;
        while sent < SERVER_LIMIT {
            // "10000" is 64 KiB in hex.
            let ok = conn.write_all(b"10000\r\n").is_ok()
                && conn.write_all(&CHUNK).is_ok()
                && conn.write_all(b"\r\n").is_ok();
            if !ok {
                return;
            }
            sent += CHUNK.len();
        }
    });
    url
}

const CHUNKED_200: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
const CHUNKED_500: &str = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n";

fn client(url: &str, bound: Option<usize>) -> Client {
    let mut b = Client::builder(Credentials::auth_token(
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        common::TOKEN,
    ))
    .base_url(url)
    .retry(RetryPolicy::disabled())
    .total_timeout(Duration::from_secs(30));
    if let Some(n) = bound {
        b = b.max_response_bytes(n);
    }
    b.build().unwrap()
}

/// Runs `call` and returns its result and how far live heap bytes rose above
/// where they were when it started.
fn peak_during<T>(
    rt: &tokio::runtime::Runtime,
    call: impl std::future::Future<Output = T>,
) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = rt.block_on(call);
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

async fn fetch(c: &Client) -> Result<(), Error> {
    c.flex_v1()
        .teams("GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .fetch("QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .send()
        .await
        .map(drop)
}

#[test]
fn bodies_are_read_up_to_their_bound_and_no_further() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The HTTP stack's own buffers: hyper reads ahead up to ~400 KiB, plus the
    // chunk in hand and the request. Independent of the bound.
    let margin = 768 * 1024;

    // A success body past a 1 MiB bound: an error naming the bound and the setting.
    let c = client(&serve_endless(CHUNKED_200), Some(MIB));
    let (result, peak) = peak_during(&rt, fetch(&c));
    let err = result.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { status: 200, limit } if limit == MIB),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("1048576") && text.contains("max_response_bytes"),
        "{text}"
    );
    assert!(peak < MIB + margin, "peak {peak} bytes over a 1 MiB bound");
    println!("endless 200 body, 1 MiB bound: peak {peak} bytes");

    // The default bound, 16 MiB.
    let c = client(&serve_endless(CHUNKED_200), None);
    let (result, peak) = peak_during(&rt, fetch(&c));
    assert!(
        matches!(result, Err(Error::ResponseTooLarge { limit, .. }) if limit == 16 * MIB),
        "{result:?}"
    );
    assert!(
        peak < 16 * MIB + margin,
        "peak {peak} bytes over the 16 MiB default"
    );
    println!("endless 200 body, default bound: peak {peak} bytes");

    // A declared length past the bound fails before the body is read.
    let c = client(
        &serve_endless("HTTP/1.1 200 OK\r\ncontent-length: 1073741824\r\n\r\n"),
        Some(MIB),
    );
    let (result, peak) = peak_during(&rt, fetch(&c));
    assert!(
        matches!(result, Err(Error::ResponseTooLarge { .. })),
        "{result:?}"
    );
    assert!(
        peak < margin,
        "peak {peak} bytes for a body that was never read"
    );

    // An error body is cut at 64 KiB: the API error, with the start of the page.
    let c = client(&serve_endless(CHUNKED_500), None);
    let (result, peak) = peak_during(&rt, fetch(&c));
    let Err(Error::Api(api)) = result else {
        panic!("expected the 500 as an API error, got {result:?}")
    };
    assert_eq!(api.status, 500);
    assert!(api.message.len() <= 520, "{}", api.message.len());
    assert!(
        peak < 64 * 1024 + margin,
        "peak {peak} bytes for an error body"
    );
    println!("endless 500 body: peak {peak} bytes");
}
