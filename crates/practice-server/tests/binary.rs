//! The standalone binary: it prints its base URL and token, takes `--seed`, `--port` and
//! `--state-dir` (or their environment variables), serves the API and the admin routes
//! (faults, workspace), keeps its work in the state directory, and refuses bad
//! arguments.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use batchdesk_test_support::practice::PracticeHttp;
use serde_json::{Value, json};

/// A running binary, killed when dropped.
struct Running {
    child: Child,
    base_url: String,
    token: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_batchdesk-practice"));
    command
        .args(args)
        .env_remove("BATCHDESK_PRACTICE_PORT")
        .env_remove("BATCHDESK_PRACTICE_SEED")
        .env_remove("BATCHDESK_PRACTICE_TOKEN")
        .env_remove("BATCHDESK_PRACTICE_STATE_DIR")
        .env_remove("BATCHDESK_PRACTICE_RETURN_SHARE")
        .env_remove("BATCHDESK_PRACTICE_TIMEOUT_SHARE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut value = |key: &str| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix(&format!("{key}=")).unwrap().to_owned()
    };
    let base_url = value("base_url");
    let token = value("token");
    Running {
        child,
        base_url,
        token,
    }
}

async fn get(running: &Running, path: &str) -> (u16, Value) {
    PracticeHttp::new(&running.base_url, &running.token)
        .call(reqwest::Method::GET, path, None)
        .await
}

#[tokio::test]
async fn the_binary_serves_with_a_fixed_token_and_takes_faults() {
    let running = start(
        &["--seed", "5"],
        &[("BATCHDESK_PRACTICE_TOKEN", "practice-token")],
    );
    assert_eq!(running.token, "practice-token");
    assert!(running.base_url.starts_with("http://127.0.0.1:"));
    let (status, me) = get(&running, "/api/v1/users/me/").await;
    assert_eq!(status, 200, "{me}");

    let response = reqwest::Client::new()
        .post(format!("{}/_practice/faults", running.base_url))
        .header("Authorization", "Token practice-token")
        .json(&json!({"fault": {"kind": "server_error", "status": 500}, "times": {"next": 1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(get(&running, "/api/v1/users/me/").await.0, 500);
    assert_eq!(get(&running, "/api/v1/users/me/").await.0, 200);
}

async fn send(running: &Running, method: &str, path: &str, body: Value) -> (u16, Value) {
    PracticeHttp::new(&running.base_url, &running.token)
        .call(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            path,
            Some(&body),
        )
        .await
}

#[tokio::test]
async fn a_state_dir_keeps_the_work_of_a_killed_binary_for_the_next_run() {
    let dir = batchdesk_test_support::temp_folder();
    let state_dir = dir.path().to_str().unwrap();
    let workspace = batchdesk_practice::PracticeWorkspace::default().id;
    let projects = format!("/api/v1/workspaces/{workspace}/projects/");
    let first = start(&["--state-dir", state_dir], &[]);
    let (status, _) = send(&first, "POST", &projects, json!({"title": "Survivor"})).await;
    assert_eq!(status, 201);
    let (status, settings) = send(
        &first,
        "PATCH",
        "/_practice/workspace",
        json!({"balance": 1234}),
    )
    .await;
    assert_eq!(status, 200, "{settings}");
    // Killed, not stopped: every change was saved when it was answered.
    drop(first);

    let second = start(&[], &[("BATCHDESK_PRACTICE_STATE_DIR", state_dir)]);
    let (_, list) = get(&second, &projects).await;
    let titles: Vec<&str> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|project| project["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Survivor"), "{titles:?}");
    let (_, settings) = get(&second, "/_practice/workspace").await;
    assert_eq!(settings["balance"], 1234);
}

#[tokio::test]
async fn the_port_comes_from_the_flag_or_the_environment() {
    // Find a free port, then let the binary take it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let by_flag = start(&["--port", &port.to_string()], &[]);
    assert_eq!(by_flag.base_url, format!("http://127.0.0.1:{port}"));
    drop(by_flag);
    let by_env = start(&[], &[("BATCHDESK_PRACTICE_PORT", &port.to_string())]);
    assert_eq!(by_env.base_url, format!("http://127.0.0.1:{port}"));
}

#[test]
fn bad_arguments_exit_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_batchdesk-practice"))
        .args(["--seed", "many"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("seed"));
}
