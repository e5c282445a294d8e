//! `cargo bench -p client-bench`: what the generated client costs over the HTTP
//! stack, measured in one run against a loopback HTTP/1.1 server.
//!
//! 1. Throughput: the generated `fetch()` against hand-written `reqwest` calls
//!    making the same requests (GET, Basic auth, same headers, body decoded into
//!    the same model), in alternating rounds; prints each ratio and the median.
//! 2. Memory: the peak of live heap bytes (a counting global allocator) while
//!    `stream()` reads 1,000 and then 100,000 teams, 100 per page.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use twilio_flex::flex_v1::models::FlexTeam;
use twilio_flex::{Client, Credentials};

/// Counts live heap bytes and their peak.
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
    std::thread::spawn(move || {
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
    });
    base
}

/// Requests per round, and in flight at once.
const REQUESTS: usize = 2000;
const CONCURRENCY: usize = 8;
const ROUNDS: usize = 15;

async fn run_concurrently<F, Fut>(f: F) -> Duration
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let f = f.clone();
            tokio::spawn(async move {
                for _ in 0..REQUESTS / CONCURRENCY {
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
    let generated = Client::builder(Credentials::auth_token(ACCOUNT, TOKEN))
        .base_url(base)
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let url = format!("{base}/v1/Instances/{INSTANCE}/Teams/{TEAM}");
    let user_agent = twilio_flex::runtime::user_agent();

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
        let (http, url, ua) = (http.clone(), url.clone(), user_agent.clone());
        async move {
            let resp = http
                .get(&url)
                .basic_auth(ACCOUNT, Some(TOKEN))
                .header("accept", "application/json")
                .header("user-agent", ua)
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
    // Warm both pools and code paths.
    run_concurrently(gen_once.clone()).await;
    run_concurrently(hand_once.clone()).await;
    let mut ratios = vec![];
    let (mut g_total, mut h_total) = (Duration::ZERO, Duration::ZERO);
    for round in 1..=ROUNDS {
        // Alternate which goes first so drift in machine load hits both alike.
        let (g, h) = if round % 2 == 0 {
            let g = run_concurrently(gen_once.clone()).await;
            (g, run_concurrently(hand_once.clone()).await)
        } else {
            let h = run_concurrently(hand_once.clone()).await;
            (run_concurrently(gen_once.clone()).await, h)
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
        "throughput ratio generated/hand-written: median {:.3} (min {:.3}, max {:.3}; {ROUNDS} rounds of {REQUESTS} requests, {CONCURRENCY} in flight; goal >= 0.95)",
        ratios[ROUNDS / 2],
        ratios[0],
        ratios[ROUNDS - 1]
    );
    println!(
        "throughput ratio over all rounds (total time): {:.3}",
        h_total.as_secs_f64() / g_total.as_secs_f64()
    );
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
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        if quick {
            println!("smoke run (use `cargo bench -p client-bench` for figures)");
        } else {
            throughput(&base).await;
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
