//! Upload throughput and the client's peak memory, beside `curl -T` to the same kind of
//! presigned URL.
//!
//! `cargo bench -p batchdesk-prolific --bench upload` (release). It starts a standalone
//! practice server (`cargo run -p batchdesk-practice --release`), uploads a generated
//! file through the client and then with curl to a fresh URL. The practice storage keeps
//! uploads in memory and caps them at 256 MiB, so the 1 GiB run goes to a discarding
//! storage sink in a child process (this program with `--sink`), which serves the same
//! upload-url answer and PUT route. Memory is this process's VmHWM (peak RSS), reset
//! before each run; the servers are other processes and do not count.
//!
//! `BENCH_UPLOAD_MB` (default 1024) sets the large file's size; `BENCH_PRACTICE_MB`
//! (default 200) the practice server's.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use batchdesk_prolific::models::NewDataset;
use batchdesk_prolific::{ApiBase, ApiToken, Client, Progress};

const MIB: u64 = 1024 * 1024;
const TOKEN: &str = "bench-token-not-secret";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if std::env::args().any(|arg| arg == "--sink") {
        runtime.block_on(sink::serve());
        return;
    }
    // `cargo bench` passes `--bench`; anything else (e.g. `cargo test --benches`) skips.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("upload bench: run with `cargo bench`");
        return;
    }
    runtime.block_on(run());
}

fn megabytes(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let practice_mb = megabytes("BENCH_PRACTICE_MB", 200);
    let large_mb = megabytes("BENCH_UPLOAD_MB", 1024);

    let practice = Spawned::practice_server();
    let client = client_for(&practice.base_url);
    let small = generate(dir.path(), "practice.csv", practice_mb * MIB);
    println!("== practice server ({practice_mb} MiB) ==");
    compare(&client, &small).await;
    drop(std::fs::remove_file(&small));

    let sink = Spawned::sink();
    let client = client_for(&sink.base_url);
    let large = generate(dir.path(), "large.csv", large_mb * MIB);
    println!("== discarding storage sink ({large_mb} MiB) ==");
    compare(&client, &large).await;
}

fn client_for(base_url: &str) -> Client {
    Client::new(ApiBase::parse(base_url).unwrap(), &ApiToken::new(TOKEN)).unwrap()
}

/// A CSV of `size` bytes, written in 1 MiB blocks.
fn generate(dir: &Path, name: &str, size: u64) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let header = b"text,META_id\n";
    file.write_all(header).unwrap();
    let mut block = Vec::with_capacity(MIB as usize);
    let mut row = 0_u64;
    while block.len() < MIB as usize - 64 {
        block.extend_from_slice(format!("Review number {row} was fine,{row}\n").as_bytes());
        row += 1;
    }
    let mut written = header.len() as u64;
    while written < size {
        let take = (size - written).min(block.len() as u64) as usize;
        file.write_all(&block[..take]).unwrap();
        written += take as u64;
    }
    file.flush().unwrap();
    path
}

async fn compare(client: &Client, path: &Path) {
    let size = std::fs::metadata(path).unwrap().len();
    let workspace_id = client
        .workspaces()
        .await
        .map(|mut listed| listed.items.remove(0).id)
        .unwrap_or_else(|_| "6a3f0c2b9e1d4a5b6c7d8e01".to_owned());
    let dataset = client
        .create_dataset(&NewDataset {
            name: "Bench".into(),
            workspace_id,
            schema: None,
        })
        .await
        .unwrap();

    reset_peak_rss();
    let before = peak_rss_kib();
    let progress: Progress = Arc::new(|_, _| {});
    let started = Instant::now();
    let outcome = client
        .upload_dataset_file(&dataset.id, path, progress)
        .await;
    let client_seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_kib();
    match outcome {
        Ok(receipt) => println!(
            "client: {:.1} MiB/s ({} bytes in {client_seconds:.2} s, {} attempt), peak RSS {:.1} MiB (before upload {:.1} MiB)",
            size as f64 / MIB as f64 / client_seconds,
            receipt.bytes,
            receipt.attempts,
            peak as f64 / 1024.0,
            before as f64 / 1024.0,
        ),
        Err(error) => println!("client: failed after {client_seconds:.2} s: {error}"),
    }

    let url = client.upload_url(&dataset.id, "curl.csv").await.unwrap();
    let started = Instant::now();
    let status = Command::new("curl")
        .args(["-sS", "-f", "-o", "/dev/null", "-T"])
        .arg(path)
        .args(["-H", &format!("Content-Type: {}", url.content_type)])
        .arg(&url.upload_url)
        .status()
        .unwrap();
    let curl_seconds = started.elapsed().as_secs_f64();
    if status.success() {
        let curl = size as f64 / MIB as f64 / curl_seconds;
        let ours = size as f64 / MIB as f64 / client_seconds;
        println!(
            "curl:   {curl:.1} MiB/s ({size} bytes in {curl_seconds:.2} s); client/curl = {:.0}%",
            100.0 * ours / curl
        );
    } else {
        println!("curl: failed ({status}) after {curl_seconds:.2} s");
    }
}

/// Resets VmHWM to the current RSS (Linux 4.0+), so each run reports its own peak.
fn reset_peak_rss() {
    drop(std::fs::write("/proc/self/clear_refs", "5"));
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A server in a child process, stopped when dropped.
struct Spawned {
    child: Child,
    base_url: String,
}

impl Spawned {
    fn practice_server() -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let child = Command::new(cargo)
            .current_dir(workspace)
            .args([
                "run",
                "-q",
                "-p",
                "batchdesk-practice",
                "--release",
                "--bin",
                "batchdesk-practice",
            ])
            .env("BATCHDESK_PRACTICE_TOKEN", TOKEN)
            .stdout(Stdio::piped())
            .spawn()
            .expect("cargo runs the practice server");
        Self::wait_for(child, "base_url=")
    }

    fn sink() -> Self {
        let child = Command::new(std::env::current_exe().unwrap())
            .arg("--sink")
            .stdout(Stdio::piped())
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        Self::wait_for(child, "base_url=")
    }

    fn wait_for(mut child: Child, prefix: &str) -> Self {
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base_url = loop {
            let line = lines
                .next()
                .expect("the server printed its address")
                .unwrap();
            if let Some(url) = line.strip_prefix(prefix) {
                break url.trim().to_owned();
            }
        };
        // Keep reading, so that the server's later prints never meet a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, base_url }
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        drop(self.child.kill());
        drop(self.child.wait());
    }
}

/// Stands in for the upload-url endpoint and S3, reading and discarding what is PUT.
mod sink {
    use axum::Router;
    use axum::body::Body;
    use axum::extract::Path;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::{get, put};
    use futures_util::StreamExt;
    use serde_json::json;

    pub async fn serve() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let answers = base.clone();
        let app = Router::new()
            .route(
                "/api/v1/data-collection/datasets",
                axum::routing::post(|| async {
                    (
                        StatusCode::CREATED,
                        axum::Json(json!({"id": "0192a3b5-e8f9-7a0b-8000-0000000000be", "name": "Bench", "status": "UNINITIALISED"})),
                    )
                }),
            )
            .route(
                "/api/v1/data-collection/datasets/{id}/upload-url/{filename}",
                get(move |Path((id, filename)): Path<(String, String)>| {
                    let base = answers.clone();
                    async move {
                        (
                            StatusCode::CREATED,
                            axum::Json(json!({"dataset_id": id, "upload_url": format!("{base}/storage/{filename}?signature=x"),
                                              "http_method": "PUT", "content_type": "text/csv", "expires_at": "2100-01-01T00:00:00Z"})),
                        )
                    }
                }),
            )
            .route(
                "/storage/{key}",
                put(|headers: HeaderMap, body: Body| async move {
                    let mut stream = body.into_data_stream();
                    let mut received = 0_u64;
                    while let Some(chunk) = stream.next().await {
                        match chunk {
                            Ok(chunk) => received += chunk.len() as u64,
                            Err(_) => return StatusCode::BAD_REQUEST,
                        }
                    }
                    let announced = headers
                        .get("content-length")
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| value.parse::<u64>().ok());
                    if announced == Some(received) { StatusCode::OK } else { StatusCode::BAD_REQUEST }
                }),
            );
        println!("base_url={base}");
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        // Serve until the parent closes stdin (or is gone).
        drop(
            tokio::task::spawn_blocking(|| {
                let mut line = String::new();
                drop(std::io::stdin().read_line(&mut line));
            })
            .await,
        );
    }
}
