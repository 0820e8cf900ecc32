//! Runs a standalone practice server, for tests and for pointing the connected mode at it
//! (`BATCHDESK_API_BASE_URL`). Prints its base URL and token, then serves until Ctrl-C.

#![allow(clippy::print_stdout)]

use batchdesk_practice::{PracticeConfig, PracticeServer};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let port = std::env::var("BATCHDESK_PRACTICE_PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(0);
    let config = PracticeConfig {
        token: std::env::var("BATCHDESK_PRACTICE_TOKEN").ok(),
        port,
        ..PracticeConfig::default()
    };
    let server = match PracticeServer::start(config).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("{error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("base_url={}", server.base_url());
    println!("token={}", server.token());
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("Could not wait for Ctrl-C; stopping.");
    }
    server.shutdown().await;
    std::process::ExitCode::SUCCESS
}
