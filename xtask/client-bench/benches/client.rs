//! `cargo bench -p client-bench`: what the generated client costs over the HTTP
//! stack, measured in one run against a loopback HTTP/1.1 server.
//!
//! 1. Throughput: the generated `fetch()` against hand-written `reqwest` calls
//!    making the same requests (GET, Basic auth encoded once on both sides, same
//!    headers and timeout, the URL built per request, body decoded into the same
//!    model), in alternating rounds; prints each ratio, the median and the
//!    total-time ratio.
//! 2. Memory: the peak of live heap bytes (a counting global allocator) while
//!    `stream()` reads 1,000 and then 100,000 teams, 100 per page.

use reqwest::header::HeaderValue;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use twilio_flex::flex_v1::models::FlexTeam;
use twilio_flex::prelude::*;
use twilio_flex::{Client, Credentials};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Allocations made (by any thread), for allocations per request.
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        ALLOCS.fetch_add(1, Ordering::Relaxed);
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

const INSTANCE: &str = "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TEAM: &str = "QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ACCOUNT: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN: &str = "bench-token";
const PAGE_SIZE: usize = 100;

fn team_json(n: usize) -> String {
    format!(
        r#"{{"team_sid":"QO{n:032x}","friendly_name":"team {n}","member_count":3,"description":"A team of the benchmark","level":1,"date_created":"2024-07-31T04:00:00Z","date_updated":"2024-07-31T04:00:00Z","version":2,"account_sid":"{ACCOUNT}","instance_sid":"{INSTANCE}","url":"https://flex-api.twilio.com/v1/Instances/{INSTANCE}/Teams/QO{n:032x}"}}"#
    )
}

/// Items in the teams list the server serves (set before each stream run).
static LIST_TOTAL: AtomicUsize = AtomicUsize::new(0);

/// The body for one request target: a page of the teams list (`…/Teams`,
/// `…/Teams?Page=N`), else one team.
fn body_for(target: &str, base: &str) -> String {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if !path.ends_with("/Teams") {
        return team_json(1);
    }
    let page = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("Page="))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let total = LIST_TOTAL.load(Ordering::SeqCst);
    let first = page * PAGE_SIZE;
    let items: Vec<String> = (first..total.min(first + PAGE_SIZE))
        .map(team_json)
        .collect();
    let next = if first + PAGE_SIZE < total {
        format!("\"{base}/v1/Instances/{INSTANCE}/Teams?Page={}\"", page + 1)
    } else {
        "null".into()
    };
    format!(
        r#"{{"teams":[{}],"meta":{{"page":{page},"page_size":{PAGE_SIZE},"key":"teams","next_page_url":{next}}}}}"#,
        items.join(",")
    )
}

/// A minimal keep-alive HTTP/1.1 server for bodiless requests, on its own thread
/// and runtime so it does not compete with the clients' scheduler.
fn start_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server_base = base.clone();
    std::thread::Builder::new().name("bench-server".into()).spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let (mut conn, _) = listener.accept().await.unwrap();
                let base = server_base.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::with_capacity(4096);
                    let mut chunk = [0u8; 4096];
                    loop {
                        let end = loop {
                            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                break i + 4;
                            }
                            match conn.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                        buf.drain(..end);
                        let target = head.split(' ').nth(1).unwrap_or("/").to_string();
                        let body = body_for(&target, &base);
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if conn.write_all(resp.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    }).unwrap();
    base
}

/// CPU time (user + system, in clock ticks) of the clients' runtime threads
/// (`bench-client-*`), from `/proc`: the work each side costs, which other load
/// on the machine changes much less than it changes wall-clock throughput.
/// `None` where `/proc` does not say (not Linux).
fn client_cpu_ticks() -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let dir = task.ok()?.path();
        let comm = std::fs::read_to_string(dir.join("comm")).ok()?;
        if !comm.starts_with("bench-client") {
            continue;
        }
        let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
        // Fields after the `(comm)`: state is field 3, utime 14, stime 15.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        total += fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// Runs one side's round, adding its CPU ticks to `ticks`.
async fn timed_round<F, Fut>(f: F, ticks: &mut Option<u64>) -> Duration
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let before = client_cpu_ticks();
    let wall = run_concurrently(f, CONCURRENCY).await;
    *ticks = match (*ticks, before, client_cpu_ticks()) {
        (Some(t), Some(b), Some(a)) => Some(t + a.saturating_sub(b)),
        _ => None,
    };
    wall
}

/// Requests per round, and in flight at once. Rounds are long (about half a
/// second each) so that scheduler noise and the machine's other load average out
/// within a round rather than deciding it.
const REQUESTS: usize = 10_000;
const CONCURRENCY: usize = 8;
const ROUNDS: usize = 15;

async fn run_concurrently<F, Fut>(f: F, in_flight: usize) -> Duration
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..in_flight)
        .map(|_| {
            let f = f.clone();
            tokio::spawn(async move {
                for _ in 0..REQUESTS / in_flight {
                    f().await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed()
}

async fn throughput(base: &str) {
    // The generated client as an application builds it: default settings
    // (retries, timeouts, its own reqwest client), only the host overridden.
    // Each request goes through the same URL building as against Twilio's host.
    let generated = Client::builder(Credentials::auth_token(ACCOUNT, TOKEN))
        .base_url(base)
        .build()
        .unwrap();
    // The same reqwest configuration the generated client uses.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let user_agent = HeaderValue::from_str(&twilio_flex::runtime::user_agent()).unwrap();
    // Basic auth encoded once, as the generated client does (and as careful
    // hand-written code would), rather than per request by `.basic_auth()`.
    let authorization = {
        let probe = reqwest::Client::new()
            .get(base)
            .basic_auth(ACCOUNT, Some(TOKEN))
            .build()
            .unwrap();
        probe.headers()[reqwest::header::AUTHORIZATION].clone()
    };
    let base = base.to_string();

    let gen_once = move || {
        let c = generated.clone();
        async move {
            let team = c
                .flex_v1()
                .teams(INSTANCE)
                .fetch(TEAM)
                .send()
                .await
                .unwrap();
            assert!(team.team_sid.is_some());
        }
    };
    let hand_once = move || {
        let (http, ua, auth) = (http.clone(), user_agent.clone(), authorization.clone());
        // The URL built and parsed per request, as the generated client builds its own.
        let url = format!("{base}/v1/Instances/{INSTANCE}/Teams/{TEAM}");
        async move {
            let resp = http
                .get(&url)
                .header(reqwest::header::AUTHORIZATION, auth)
                // Both sides send the same request (the generated client asks
                // for an uncompressed body, see its `build`) and, like careful
                // hand-written code, take constant header values as they are
                // rather than checking and copying them per request.
                .header(
                    reqwest::header::ACCEPT,
                    HeaderValue::from_static("application/json"),
                )
                .header(
                    reqwest::header::ACCEPT_ENCODING,
                    HeaderValue::from_static("identity"),
                )
                .header(reqwest::header::USER_AGENT, ua)
                .timeout(Duration::from_secs(30))
                .send()
                .await
                .unwrap();
            assert!(resp.status().is_success());
            let body = resp.bytes().await.unwrap();
            let team: FlexTeam = serde_json::from_slice(&body).unwrap();
            assert!(team.team_sid.is_some());
        }
    };
    // A profiling aid: `CLIENT_BENCH_ONLY=generated|hand-written` runs just that
    // side for a while (under `perf record`), and nothing else.
    // `CLIENT_BENCH_ROUNDS=n` runs n rounds instead, and `CLIENT_BENCH_IN_FLIGHT=n`
    // keeps n requests in flight instead of 8: for `valgrind --tool=callgrind`,
    // where the difference between two round counts is the instructions of that
    // many requests, and one in flight takes the same path through the connection
    // pool every time (with 8, whether a request waits for a connection depends
    // on scheduling and moves the count by a few percent).
    if let Ok(only) = std::env::var("CLIENT_BENCH_ONLY") {
        let setting = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
                .unwrap_or(default)
        };
        let rounds = setting("CLIENT_BENCH_ROUNDS", ROUNDS);
        let in_flight = setting("CLIENT_BENCH_IN_FLIGHT", CONCURRENCY);
        for _ in 0..rounds {
            match only.as_str() {
                "generated" => run_concurrently(gen_once.clone(), in_flight).await,
                _ => run_concurrently(hand_once.clone(), in_flight).await,
            };
        }
        return;
    }
    // Warm both pools and code paths.
    run_concurrently(gen_once.clone(), CONCURRENCY).await;
    run_concurrently(hand_once.clone(), CONCURRENCY).await;
    // Heap allocations per request (client and server together; the server's
    // share is the same for both), counted over one round each.
    let allocs = |before: usize| (ALLOCS.load(Ordering::Relaxed) - before) as f64 / REQUESTS as f64;
    let before = ALLOCS.load(Ordering::Relaxed);
    run_concurrently(gen_once.clone(), CONCURRENCY).await;
    let g_allocs = allocs(before);
    let before = ALLOCS.load(Ordering::Relaxed);
    run_concurrently(hand_once.clone(), CONCURRENCY).await;
    let h_allocs = allocs(before);
    println!("heap allocations per request: generated {g_allocs:.1}, hand-written {h_allocs:.1}");
    let mut ratios = vec![];
    let (mut g_total, mut h_total) = (Duration::ZERO, Duration::ZERO);
    let (mut g_ticks, mut h_ticks) = (Some(0), Some(0));
    for round in 1..=ROUNDS {
        // Alternate which goes first so drift in machine load hits both alike.
        let (g, h) = if round % 2 == 0 {
            let g = timed_round(gen_once.clone(), &mut g_ticks).await;
            (g, timed_round(hand_once.clone(), &mut h_ticks).await)
        } else {
            let h = timed_round(hand_once.clone(), &mut h_ticks).await;
            (timed_round(gen_once.clone(), &mut g_ticks).await, h)
        };
        let (g_rps, h_rps) = (
            REQUESTS as f64 / g.as_secs_f64(),
            REQUESTS as f64 / h.as_secs_f64(),
        );
        ratios.push(g_rps / h_rps);
        g_total += g;
        h_total += h;
        println!(
            "round {round}: generated {g_rps:8.0} req/s, hand-written reqwest {h_rps:8.0} req/s, ratio {:.3}",
            g_rps / h_rps
        );
    }
    ratios.sort_by(|a, b| a.total_cmp(b));
    println!(
        "throughput ratio generated/hand-written: median {:.3} (min {:.3}, max {:.3}; {ROUNDS} rounds of {REQUESTS} requests, {CONCURRENCY} in flight; goal >= 0.97)",
        ratios[ROUNDS / 2],
        ratios[0],
        ratios[ROUNDS - 1]
    );
    println!(
        "throughput ratio over all rounds (total time): {:.3}",
        h_total.as_secs_f64() / g_total.as_secs_f64()
    );
    match (g_ticks, h_ticks) {
        (Some(g), Some(h)) if g > 0 && h > 0 => {
            // Linux reports CPU time in USER_HZ ticks, 100 per second.
            let per_request = |t: u64| t as f64 * 10_000.0 / (ROUNDS * REQUESTS) as f64;
            println!(
                "client CPU per request: generated {:.1} us, hand-written {:.1} us; CPU-bound throughput ratio {:.3} (hand-written CPU / generated CPU)",
                per_request(g),
                per_request(h),
                h as f64 / g as f64
            );
        }
        _ => println!("client CPU per request: not available (no /proc)"),
    }
}

/// Peak live heap above the level before the stream started, and items read.
async fn stream_peak(client: &Client, total: usize) -> (usize, usize) {
    LIST_TOTAL.store(total, Ordering::SeqCst);
    let builder = client.flex_v1().teams(INSTANCE).list();
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let mut stream = builder.stream();
    let mut n = 0;
    while let Some(team) = stream.next().await {
        let team = team.unwrap();
        assert!(team.team_sid.is_some());
        n += 1;
    }
    (PEAK.load(Ordering::SeqCst) - before, n)
}

fn main() {
    // `cargo test` runs benches too (once, as a smoke test) unless `--bench` is passed.
    let quick = !std::env::args().any(|a| a == "--bench");
    let base = start_server();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-client")
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        if quick {
            println!("smoke run (use `cargo bench -p client-bench` for figures)");
        } else {
            throughput(&base).await;
            if std::env::var_os("CLIENT_BENCH_ONLY").is_some() {
                return;
            }
        }
        let client = Client::builder(Credentials::auth_token(ACCOUNT, TOKEN))
            .base_url(&base)
            .build()
            .unwrap();
        // Warm the pool so connection set-up is not counted in the first run.
        stream_peak(&client, 10).await;
        let sizes: &[usize] = if quick { &[1_000] } else { &[1_000, 100_000] };
        let mut peaks = vec![];
        for &total in sizes {
            let (peak, n) = stream_peak(&client, total).await;
            assert_eq!(n, total);
            println!(
                "stream() over {total:>7} items ({} pages): peak heap above baseline {:>9} bytes",
                total.div_ceil(PAGE_SIZE),
                peak
            );
            peaks.push(peak);
        }
        if let [small, large] = peaks[..] {
            println!(
                "stream() peak memory 100,000 vs 1,000 items: ratio {:.2} (goal: about 1)",
                large as f64 / small as f64
            );
        }
    });
}
