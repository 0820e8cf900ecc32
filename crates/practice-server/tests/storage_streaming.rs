//! The storage route writes uploads to the server's own directory as they arrive, so a
//! large upload does not grow the server's memory, and the directory goes with the
//! server. One test per concern; this binary holds nothing else, so the memory
//! measurement sees only its own upload.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Api, sample};

#[tokio::test]
async fn uploads_pass_through_the_servers_own_directory_which_goes_with_it() {
    let api = Api::start().await;
    let directory = api.server.storage_dir().to_path_buf();
    assert!(directory.is_dir());
    let id = api.create_v3_dataset().await;
    api.upload(&id, "reviews.csv", sample("reviews.csv")).await;
    assert_eq!(api.dataset(&id).await["status"], "READY");
    assert_eq!(
        std::fs::read_dir(&directory).unwrap().count(),
        0,
        "a processed object is not kept"
    );
    api.server.shutdown().await;
    assert!(
        !directory.exists(),
        "the storage directory is removed on shutdown"
    );
}

/// The peak resident memory of this process so far, from `/proc/self/status`.
#[cfg(target_os = "linux")]
fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap();
    let kilobytes: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kilobytes * 1024
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_large_upload_keeps_memory_bounded() {
    const MIB: usize = 1024 * 1024;
    const CHUNKS: usize = 96;
    static CHUNK: [u8; MIB] = [b'x'; MIB];

    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    // A .zip for a V3 dataset is refused by processing at once, so only the transfer
    // and storage of the bytes are measured, not a parse of them.
    let answer = api.upload_url(&id, "large.zip").await;
    let before = peak_rss_bytes();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(
        (0..CHUNKS).map(|_| Ok::<_, std::io::Error>(bytes_of(&CHUNK))),
    ));
    let response = reqwest::Client::new()
        .put(answer["upload_url"].as_str().unwrap())
        .header("Content-Type", answer["content_type"].as_str().unwrap())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let grown = peak_rss_bytes().saturating_sub(before);
    assert!(
        grown < (32 * MIB) as u64,
        "a {CHUNKS} MiB upload grew the peak memory by {} MiB",
        grown / MIB as u64
    );
    assert_eq!(api.dataset(&id).await["status"], "ERROR");
}

#[cfg(target_os = "linux")]
fn bytes_of(chunk: &'static [u8]) -> Vec<u8> {
    // reqwest copies each chunk into the request as it is sent; a fresh Vec per chunk is
    // freed once written, which is what a streaming client does.
    chunk.to_vec()
}
