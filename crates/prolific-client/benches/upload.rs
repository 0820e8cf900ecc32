//! A 1 GiB dataset upload to the practice server: the client's throughput and peak
//! memory, beside `curl -T` to the same kind of URL, measured side by side.
//!
//! `cargo bench -p batchdesk-prolific --bench upload` (release). It starts the standalone
//! practice server in its own process (`cargo run -p batchdesk-practice --release`), so
//! the server's memory and CPU are never counted as the client's. One V3 dataset takes
//! the uploads of each kind (each replaces the last, so the server holds one parsed file
//! at a time).
//! Rounds alternate: the client uploads the file through `upload_dataset_file` (asking for
//! its own presigned URL), then curl PUTs the same file to a fresh presigned URL of the same
//! dataset with the `Content-Type` that URL was signed for. Both timings run until the
//! practice storage answers, which it does once the file is on its disk and parsed, so
//! they measure the same work. That work includes the server's parsing of the CSV, so
//! the same bytes are then sent under a `.zip` name, which the practice storage stores
//! (SHA-256, disk) but does not parse: the transfer itself is then most of the time.
//!
//! Peak memory is this process's VmHWM (peak RSS), reset through `/proc/self/clear_refs`
//! before each client upload; the file is generated before the reset.
//!
//! `BENCH_UPLOAD_MB` (default 1024) sets the file's size, `BENCH_ROUNDS` (default 3) the
//! rounds of each kind.

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
    // `cargo bench` passes `--bench`; anything else (e.g. `cargo test --benches`) skips.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("upload bench: run with `cargo bench`");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

async fn run() {
    let size_mb = number("BENCH_UPLOAD_MB", 1024);
    let rounds = number("BENCH_ROUNDS", 3);
    let dir = tempfile::tempdir().unwrap();
    let csv = generate(dir.path(), "reviews.csv", size_mb * MIB);
    // The same bytes named .zip: the practice storage stores them (SHA-256, disk) and
    // answers without parsing, which leaves the transfer itself as most of the work.
    let zip = dir.path().join("reviews.zip");
    std::fs::hard_link(&csv, &zip).unwrap();
    let size = std::fs::metadata(&csv).unwrap().len();

    let practice = PracticeProcess::start();
    let client = Client::new(
        ApiBase::parse(&practice.base_url).unwrap(),
        &ApiToken::new(TOKEN),
    )
    .unwrap();
    println!(
        "{size} bytes ({size_mb} MiB) to the practice server at {} (a separate process), {rounds} rounds each",
        practice.base_url
    );
    for (path, what) in [
        (&csv, "CSV, stored and parsed before the PUT is answered"),
        (&zip, "ZIP name, stored only"),
    ] {
        println!("== {what} ==");
        compare(&client, path, size, rounds).await;
    }
}

async fn compare(client: &Client, path: &Path, size: u64, rounds: u64) {
    let workspace_id = client.workspaces().await.unwrap().items.remove(0).id;
    let dataset = client
        .create_dataset(&NewDataset {
            name: "Bench".into(),
            workspace_id,
            schema: None,
        })
        .await
        .unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut peaks = Vec::new();
    for round in 1..=rounds {
        reset_peak_rss();
        let before = peak_rss_kib();
        let progress: Progress = Arc::new(|_, _| {});
        let started = Instant::now();
        let receipt = client
            .upload_dataset_file(&dataset.id, path, progress)
            .await
            .unwrap();
        let seconds = started.elapsed().as_secs_f64();
        let peak = peak_rss_kib();
        assert_eq!(receipt.bytes, size);
        let speed = size as f64 / MIB as f64 / seconds;
        println!(
            "round {round} client: {speed:.1} MiB/s ({seconds:.2} s, {} URL), peak RSS {:.1} MiB (at start {:.1} MiB)",
            receipt.attempts,
            peak as f64 / 1024.0,
            before as f64 / 1024.0
        );
        ours.push(speed);
        peaks.push(peak);

        let url = client.upload_url(&dataset.id, &name).await.unwrap();
        let started = Instant::now();
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%M", "curl", "-sS", "-f", "-o", "/dev/null", "-T"])
            .arg(path)
            .args(["-H", &format!("Content-Type: {}", url.content_type)])
            .arg(&url.upload_url)
            .output()
            .unwrap();
        let seconds = started.elapsed().as_secs_f64();
        assert!(output.status.success(), "curl failed: {output:?}");
        let curl_peak_kib = String::from_utf8_lossy(&output.stderr)
            .trim()
            .lines()
            .last()
            .and_then(|line| line.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        let speed = size as f64 / MIB as f64 / seconds;
        println!(
            "round {round} curl:   {speed:.1} MiB/s ({seconds:.2} s), curl's peak RSS {:.1} MiB",
            curl_peak_kib / 1024.0
        );
        theirs.push(speed);
    }

    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    let peak = peaks.iter().max().copied().unwrap_or(0) as f64 / 1024.0;
    println!(
        "median: client {ours:.1} MiB/s, curl {theirs:.1} MiB/s, client/curl = {:.0}% (goal ≥ 90%); client peak RSS {peak:.1} MiB (goal < 64 MiB)",
        100.0 * ours / theirs
    );
}

/// A CSV of `size` bytes with rows of about 1 KiB (few rows, so the practice server's
/// parsed copy stays close to the file's size), written in 1 MiB blocks.
fn generate(dir: &Path, name: &str, size: u64) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let header = b"text,META_id\n";
    file.write_all(header).unwrap();
    let filler = "This product was fine and did what it said. ".repeat(22);
    let mut block = Vec::with_capacity(MIB as usize);
    let mut row = 0_u64;
    while block.len() < MIB as usize - 2048 {
        block.extend_from_slice(format!("Review {row}: {filler},{row}\n").as_bytes());
        row += 1;
    }
    let mut written = header.len() as u64;
    while written < size {
        // Whole blocks only, so the file ends with a complete row.
        file.write_all(&block).unwrap();
        written += block.len() as u64;
    }
    file.flush().unwrap();
    path
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

/// The standalone practice server, in a child process stopped when dropped.
struct PracticeProcess {
    child: Child,
    base_url: String,
}

impl PracticeProcess {
    fn start() -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut child = Command::new(cargo)
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
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base_url = loop {
            let line = lines
                .next()
                .expect("the server printed its address")
                .unwrap();
            if let Some(url) = line.strip_prefix("base_url=") {
                break url.trim().to_owned();
            }
        };
        // Keep reading, so that the server's later prints never meet a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, base_url }
    }
}

impl Drop for PracticeProcess {
    fn drop(&mut self) {
        drop(self.child.kill());
        drop(self.child.wait());
    }
}
