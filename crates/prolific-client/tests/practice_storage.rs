//! The practice server's storage route, watched through a recording proxy: uploads
//! reach it without the Prolific token and with exactly the content type it signed.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::models::{NewDataset, ProcessingStatus};
use batchdesk_prolific::{ApiBase, ApiToken, Client, Progress};

#[derive(Clone, Debug)]
struct Forwarded {
    method: Method,
    path: String,
    authorization: bool,
    content_type: Option<String>,
    status: u16,
}

/// Forwards everything to the practice server, records each request, and points upload
/// URLs at itself (the signature covers key, expiry and content type, not the host).
async fn proxy(upstream: String) -> (String, Arc<Mutex<Vec<Forwarded>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let own = format!("http://{}", listener.local_addr().unwrap());
    let log: Arc<Mutex<Vec<Forwarded>>> = Arc::default();
    let (seen, me) = (Arc::clone(&log), own.clone());
    let http = reqwest::Client::new();
    let app = Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (http, upstream, me, seen) = (
                http.clone(),
                upstream.clone(),
                me.clone(),
                Arc::clone(&seen),
            );
            async move {
                let mut request = http.request(method.clone(), format!("{upstream}{uri}"));
                for (name, value) in &headers {
                    if name != "host" {
                        request = request.header(name, value);
                    }
                }
                let answer = request.body(body).send().await.unwrap();
                let status = answer.status().as_u16();
                let content_type = answer.headers().get("content-type").cloned();
                let text = answer.text().await.unwrap().replace(&upstream, &me);
                seen.lock().unwrap().push(Forwarded {
                    method,
                    path: uri.path().to_owned(),
                    authorization: headers.contains_key("authorization"),
                    content_type: headers
                        .get("content-type")
                        .map(|value| value.to_str().unwrap().to_owned()),
                    status,
                });
                let mut response: Response =
                    (StatusCode::from_u16(status).unwrap(), text).into_response();
                if let Some(content_type) = content_type {
                    response.headers_mut().insert("content-type", content_type);
                }
                response
            }
        },
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (own, log)
}

#[tokio::test]
async fn the_practice_storage_is_called_without_the_token() {
    let server = PracticeServer::start(PracticeConfig {
        processing_delay: Duration::ZERO,
        ..PracticeConfig::default()
    })
    .await
    .unwrap();
    let (base, log) = proxy(server.base_url()).await;
    let client = Client::new(
        ApiBase::parse(&base).unwrap(),
        &ApiToken::new(server.token()),
    )
    .unwrap();
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let dataset = client
        .create_dataset(&NewDataset {
            name: "Proxied".into(),
            workspace_id: workspace.id,
            schema: None,
        })
        .await
        .unwrap();
    let dir = batchdesk_test_support::temp_folder();
    let path = dir.path().join("reviews.csv");
    std::fs::write(&path, "text\nGood\nBad\n").unwrap();
    let progress: Progress = Arc::new(|_, _| {});
    client
        .upload_dataset_file(&dataset.id, &path, progress)
        .await
        .unwrap();
    assert_eq!(
        client.dataset_status(&dataset.id).await.unwrap(),
        ProcessingStatus::Ready
    );

    let log = log.lock().unwrap().clone();
    let puts: Vec<&Forwarded> = log.iter().filter(|f| f.method == Method::PUT).collect();
    assert_eq!(puts.len(), 1, "{log:?}");
    assert!(puts[0].path.starts_with("/practice-storage/"), "{log:?}");
    assert!(!puts[0].authorization, "the token went to storage");
    assert_eq!(puts[0].content_type.as_deref(), Some("text/csv"));
    assert_eq!(puts[0].status, 200);
    assert!(
        log.iter()
            .filter(|f| f.path.starts_with("/api/"))
            .all(|f| f.authorization),
        "{log:?}"
    );
}
