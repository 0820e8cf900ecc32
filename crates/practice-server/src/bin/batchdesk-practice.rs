//! Runs a standalone practice server, for tests and for pointing the connected mode at it
//! (`BATCHDESK_API_BASE_URL`). Prints its base URL and token, then serves until Ctrl-C.
//!
//! `--port N` and `--seed N` (or `BATCHDESK_PRACTICE_PORT`, `BATCHDESK_PRACTICE_SEED`;
//! a flag wins), and `BATCHDESK_PRACTICE_TOKEN` for a fixed token. Faults are switched
//! at `POST /_practice/faults` with that token.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use batchdesk_practice::{PracticeConfig, PracticeServer};

const USAGE: &str = "usage: batchdesk-practice [--port N] [--seed N]";

/// The flags, each falling back to its environment variable.
fn options(mut args: impl Iterator<Item = String>) -> Result<(u16, u64), String> {
    let from_env = |name: &str| std::env::var(name).ok();
    let mut port = from_env("BATCHDESK_PRACTICE_PORT");
    let mut seed = from_env("BATCHDESK_PRACTICE_SEED");
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--port" => &mut port,
            "--seed" => &mut seed,
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        };
        *slot = Some(
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?,
        );
    }
    let port = match port {
        None => 0,
        Some(text) => text
            .parse()
            .map_err(|_| format!("the port must be a number from 0 to 65535, not {text:?}"))?,
    };
    let seed = match seed {
        None => 0,
        Some(text) => text
            .parse()
            .map_err(|_| format!("the seed must be a whole number, not {text:?}"))?,
    };
    Ok((port, seed))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (port, seed) = match options(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let config = PracticeConfig {
        token: std::env::var("BATCHDESK_PRACTICE_TOKEN").ok(),
        port,
        seed,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<(u16, u64), String> {
        options(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn flags_set_the_port_and_seed_and_bad_ones_are_refused() {
        assert_eq!(parse(&["--port", "8123", "--seed", "7"]), Ok((8123, 7)));
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--seed", "-1"]).is_err());
        assert!(parse(&["--colour", "blue"]).is_err());
    }
}
