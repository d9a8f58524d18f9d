//! What the generated client costs per request, next to a hand-written
//! `reqwest` call doing the same thing, in the same run. Both talk to the
//! same tiny keep-alive HTTP/1.1 server on 127.0.0.1, which answers every
//! request with the same playlist list page (the spec's own example), so
//! the difference is the client's own work: builders, the auth hook, the
//! call loop (attempt, span, budget, deadline), typed error. Run with `cargo bench -p posthog-api --bench per_request`;
//! it prints a Markdown section for BENCHMARKS.md.
//!
//! - **Generated**: `Client::with_api_key(Host::self_hosted(url)?, key)`,
//!   then `client.session_recording_playlists_list().project_id("1")
//!   .send().await?.into_inner()`.
//! - **Raw**: a `reqwest::Client` built with the same timeouts, then
//!   `get(url)` with the same `Authorization`, `Accept` and `api-version`
//!   headers, `send().await?.error_for_status()?.json::<T>().await?`, where
//!   `T` is the same generated `PaginatedSessionRecordingPlaylistList`.
//!
//! The bench checks that both send the same request head before timing.
//! Client and server share one thread (a current-thread runtime). Rounds
//! interleave the two sides (alternating which goes first), so drift in
//! machine load hits both alike.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use posthog_api::types::PaginatedSessionRecordingPlaylistList;
use posthog_api::{Client, DEFAULT_TIMEOUT, Host};
use progenitor_client::ClientInfo;
use reqwest::header::{ACCEPT, AUTHORIZATION};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Requests per side in one round; a round's time divided by this is one
/// sample, so a sample is not a single, noisy request.
const BATCH: u32 = 200;
/// Timed rounds per side.
const ROUNDS: usize = 50;
/// Untimed requests per side first: connections, allocator, caches.
const WARM_UP: u32 = 500;
/// The goal BENCHMARKS.md records: generated ≤ raw × 1.05.
const GOAL: f64 = 1.05;

const API_KEY: &str = "phx_bench_key";
const PAGE_PATH: &str = "/api/projects/{project_id}/session_recording_playlists/";

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    let body = page_body()?;
    // One thread for client and server: no cross-core wake-ups, whose
    // latency on a shared two-core machine varies far more than the
    // client's own work. The server's work is the same for both sides.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let samples = runtime.block_on(async {
        let server = Server::start(body.clone())?;
        measure(&server).await
    })?;
    print_report(&samples, body.len());
    Ok(())
}

/// The list page the spec documents, as JSON text.
fn page_body() -> Result<String, Failure> {
    let spec: serde_yaml::Value = serde_yaml::from_str(include_str!("../../spec/openapi.yaml"))?;
    let example = &spec["paths"][PAGE_PATH]["get"]["responses"]["200"]["content"]["application/json"]
        ["example"];
    let body = serde_json::to_string(example)?;
    // Both sides must parse it, or the comparison means nothing.
    serde_json::from_str::<PaginatedSessionRecordingPlaylistList>(&body)?;
    Ok(body)
}

/// Per-request times of each side, one per round, in the same order.
struct Samples {
    generated: Vec<Duration>,
    raw: Vec<Duration>,
}

async fn measure(server: &Server) -> Result<Samples, Failure> {
    let base = format!("http://{}", server.address);
    let generated = Client::with_api_key(Host::self_hosted(&base)?, API_KEY)?;
    let raw = RawClient::new(&base)?;

    same_request_head(server, &generated, &raw).await?;
    time_batch(WARM_UP, || generated_call(&generated)).await?;
    time_batch(WARM_UP, || raw.call()).await?;

    let mut samples = Samples {
        generated: Vec::with_capacity(ROUNDS),
        raw: Vec::with_capacity(ROUNDS),
    };
    for round in 0..ROUNDS {
        // Alternate which side goes first, so neither always runs warmer.
        if round % 2 == 0 {
            samples
                .generated
                .push(time_batch(BATCH, || generated_call(&generated)).await?);
            samples.raw.push(time_batch(BATCH, || raw.call()).await?);
        } else {
            samples.raw.push(time_batch(BATCH, || raw.call()).await?);
            samples
                .generated
                .push(time_batch(BATCH, || generated_call(&generated)).await?);
        }
    }
    Ok(samples)
}

/// Average time per request over `count` sequential requests.
async fn time_batch<F, Fut>(count: u32, mut call: F) -> Result<Duration, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<PaginatedSessionRecordingPlaylistList, Failure>>,
{
    let started = Instant::now();
    for _ in 0..count {
        std::hint::black_box(call().await?);
    }
    Ok(started.elapsed() / count)
}

async fn generated_call(client: &Client) -> Result<PaginatedSessionRecordingPlaylistList, Failure> {
    Ok(client
        .session_recording_playlists_list()
        .project_id("1")
        .send()
        .await?
        .into_inner())
}

/// The hand-written side: what a careful caller of plain reqwest writes.
struct RawClient {
    http: reqwest::Client,
    url: String,
    authorization: String,
}

impl RawClient {
    fn new(base: &str) -> Result<Self, Failure> {
        Ok(Self {
            // The timeouts `Client::with_api_key` sets, so both clients do
            // the same timer work, on the crate's TLS set-up.
            http: posthog_api::http_client_builder()?
                .connect_timeout(DEFAULT_TIMEOUT)
                .timeout(DEFAULT_TIMEOUT)
                .build()?,
            url: format!("{base}{}", PAGE_PATH.replace("{project_id}", "1")),
            authorization: format!("Bearer {API_KEY}"),
        })
    }

    async fn call(&self) -> Result<PaginatedSessionRecordingPlaylistList, Failure> {
        Ok(self
            .http
            .get(&self.url)
            .header(AUTHORIZATION, &self.authorization)
            .header(ACCEPT, "application/json")
            .header("api-version", Client::api_version())
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }
}

/// Fails unless both sides send the same request line and headers (in any
/// order): otherwise the bench would compare different work.
async fn same_request_head(
    server: &Server,
    generated: &Client,
    raw: &RawClient,
) -> Result<(), Failure> {
    server.capture.store(true, Ordering::SeqCst);
    generated_call(generated).await?;
    raw.call().await?;
    server.capture.store(false, Ordering::SeqCst);
    let heads = std::mem::take(&mut *server.heads.lock().map_err(|_| "poisoned")?);
    let normalized: Vec<Vec<String>> = heads
        .iter()
        .map(|head| {
            let mut lines: Vec<String> = head.lines().map(str::to_ascii_lowercase).collect();
            lines.sort();
            lines
        })
        .collect();
    match normalized.as_slice() {
        [generated, raw] if generated == raw => Ok(()),
        _ => Err(format!("the two sides send different requests:\n{heads:#?}").into()),
    }
}

/// The loopback server: its address, and the request heads it saw while
/// `capture` was on.
struct Server {
    address: std::net::SocketAddr,
    capture: Arc<AtomicBool>,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Serves from a task on the current runtime.
    fn start(body: String) -> Result<Self, Failure> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let listener = TcpListener::from_std(listener)?;
        let address = listener.local_addr()?;
        let capture = Arc::new(AtomicBool::new(false));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let response: Arc<[u8]> = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
        .into();
        let (server_capture, server_heads) = (capture.clone(), heads.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let connection = Connection {
                    response: response.clone(),
                    capture: server_capture.clone(),
                    heads: server_heads.clone(),
                };
                tokio::spawn(connection.serve(stream));
            }
        });
        Ok(Self {
            address,
            capture,
            heads,
        })
    }
}

/// One keep-alive connection: every request head (GETs have no body) gets
/// the same response.
struct Connection {
    response: Arc<[u8]>,
    capture: Arc<AtomicBool>,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Connection {
    async fn serve(self, mut stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let mut pending = Vec::with_capacity(4096);
        let mut chunk = [0u8; 4096];
        loop {
            while let Some(end) = find_head_end(&pending) {
                if self.capture.load(Ordering::SeqCst)
                    && let Ok(mut heads) = self.heads.lock()
                {
                    heads.push(String::from_utf8_lossy(&pending[..end]).into_owned());
                }
                pending.drain(..end + 4);
                if stream.write_all(&self.response).await.is_err() {
                    return;
                }
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => pending.extend_from_slice(&chunk[..n]),
            }
        }
    }
}

/// Where the blank line ending a request head starts.
fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|window| window == b"\r\n\r\n")
}

fn print_report(samples: &Samples, body_bytes: usize) {
    let generated = Spread::of_durations(&samples.generated);
    let raw = Spread::of_durations(&samples.raw);
    // Paired by round: each round's two batches ran back to back.
    let ratios: Vec<f64> = samples
        .generated
        .iter()
        .zip(&samples.raw)
        .map(|(g, r)| g.as_secs_f64() / r.as_secs_f64())
        .collect();
    let ratio = Spread::of(ratios);
    let met = if ratio.median <= GOAL {
        "met"
    } else {
        "**missed**"
    };
    println!(
        "### Client per request\n\n\
         One GET of the playlist list page ({body_bytes} bytes of JSON, the spec's example) \
         against a keep-alive HTTP/1.1 server on 127.0.0.1, parsed into \
         `PaginatedSessionRecordingPlaylistList` on both sides; release build, client \
         and server on one thread. \
         {ROUNDS} interleaved rounds of {BATCH} sequential requests per side after \
         {WARM_UP} warm-up requests each; a sample is a round's average. \
         Both sides send the same request head (checked).\n\
         Reproduce: `cargo bench -p posthog-api --bench per_request`.\n\n\
         | client | rounds | median | p10 – p90 |\n\
         | --- | ---: | ---: | ---: |\n\
         | generated `session_recording_playlists_list().send()` | {ROUNDS} | {} | {} – {} |\n\
         | raw `reqwest` get + `json()` | {ROUNDS} | {} | {} – {} |\n\n\
         generated / raw, per round: median {:.3}, p10 – p90 {:.3} – {:.3} \
         (goal ≤ {GOAL:.2}: {met}); difference of the medians {}.",
        micros(generated.median),
        micros(generated.p10),
        micros(generated.p90),
        micros(raw.median),
        micros(raw.p10),
        micros(raw.p90),
        ratio.median,
        ratio.p10,
        ratio.p90,
        signed_micros(generated.median - raw.median),
    );
}

/// Median and 10th / 90th percentiles.
struct Spread {
    median: f64,
    p10: f64,
    p90: f64,
}

impl Spread {
    fn of(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        let at = |fraction: f64| values[((values.len() - 1) as f64 * fraction).round() as usize];
        Self {
            median: at(0.5),
            p10: at(0.1),
            p90: at(0.9),
        }
    }

    fn of_durations(samples: &[Duration]) -> Self {
        Self::of(samples.iter().map(Duration::as_secs_f64).collect())
    }
}

fn signed_micros(seconds: f64) -> String {
    format!("{:+.1} µs", seconds * 1e6)
}

fn micros(seconds: f64) -> String {
    format!("{:.1} µs", seconds * 1e6)
}
