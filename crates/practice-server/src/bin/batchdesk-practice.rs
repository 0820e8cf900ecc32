//! Runs a standalone practice server, for tests and for pointing the connected mode at it
//! (`BATCHDESK_API_BASE_URL`). Prints its base URL and token, then serves until Ctrl-C.
//!
//! `--port N`, `--seed N`, `--state-dir DIR`, `--return-share S` and `--timeout-share S`
//! (shares from 0 to 1 of participants who return or time out; or
//! `BATCHDESK_PRACTICE_PORT`, `…_SEED`, `…_STATE_DIR`, `…_RETURN_SHARE`,
//! `…_TIMEOUT_SHARE`; a flag wins), and `BATCHDESK_PRACTICE_TOKEN` for a fixed token. With a state directory, practice work
//! is saved there and found again on the next start. Faults are switched at
//! `POST /_practice/faults`, the workspace (balance, features, time factor, crowd mix) at
//! `PATCH /_practice/workspace`, both with that token.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use batchdesk_practice::{PracticeConfig, PracticeServer};

use std::path::PathBuf;

const USAGE: &str = "usage: batchdesk-practice [--port N] [--seed N] [--state-dir DIR] \
[--return-share S] [--timeout-share S]";

#[derive(Debug, PartialEq)]
struct Options {
    port: u16,
    seed: u64,
    state_dir: Option<PathBuf>,
    return_share: f64,
    timeout_share: f64,
}

/// A share from 0 to 1; none given is 0.
fn share(name: &str, text: Option<String>) -> Result<f64, String> {
    match text {
        None => Ok(0.0),
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|share| (0.0..=1.0).contains(share))
            .ok_or_else(|| format!("the {name} must be a number from 0 to 1, not {text:?}")),
    }
}

/// The flags, each falling back to its environment variable.
fn options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let from_env = |name: &str| std::env::var(name).ok();
    let mut port = from_env("BATCHDESK_PRACTICE_PORT");
    let mut seed = from_env("BATCHDESK_PRACTICE_SEED");
    let mut state_dir = from_env("BATCHDESK_PRACTICE_STATE_DIR");
    let mut return_share = from_env("BATCHDESK_PRACTICE_RETURN_SHARE");
    let mut timeout_share = from_env("BATCHDESK_PRACTICE_TIMEOUT_SHARE");
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--port" => &mut port,
            "--seed" => &mut seed,
            "--state-dir" => &mut state_dir,
            "--return-share" => &mut return_share,
            "--timeout-share" => &mut timeout_share,
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
    let state_dir = state_dir.filter(|dir| !dir.is_empty()).map(PathBuf::from);
    Ok(Options {
        port,
        seed,
        state_dir,
        return_share: share("return share", return_share)?,
        timeout_share: share("timeout share", timeout_share)?,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Options {
        port,
        seed,
        state_dir,
        return_share,
        timeout_share,
    } = match options(std::env::args().skip(1)) {
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
        state_dir,
        return_share,
        timeout_share,
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

    fn parse(args: &[&str]) -> Result<Options, String> {
        options(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn flags_set_the_port_seed_and_state_dir_and_bad_ones_are_refused() {
        let parsed = parse(&["--port", "8123", "--seed", "7", "--state-dir", "/tmp/p"]);
        assert_eq!(
            parsed,
            Ok(Options {
                port: 8123,
                seed: 7,
                state_dir: Some(PathBuf::from("/tmp/p")),
                return_share: 0.0,
                timeout_share: 0.0,
            })
        );
        let shares = parse(&["--return-share", "0.25", "--timeout-share", "1"])
            .map(|options| (options.return_share, options.timeout_share));
        assert_eq!(shares, Ok((0.25, 1.0)));
        assert!(parse(&["--return-share", "1.5"]).is_err());
        assert!(parse(&["--timeout-share", "some"]).is_err());
        assert!(parse(&["--state-dir"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--seed", "-1"]).is_err());
        assert!(parse(&["--colour", "blue"]).is_err());
    }
}
