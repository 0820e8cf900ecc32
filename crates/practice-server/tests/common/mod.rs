//! The practice server's own test helpers: a server and a client that speaks to it over
//! real HTTP, checking every answer against the spec, and the datasets, batches and
//! studies the tests build on. Starting the server, its HTTP calls and the samples are
//! `batchdesk-test-support`'s, shared with the other crates' tests.

#![allow(dead_code, clippy::unwrap_used)]

pub mod spec;

use batchdesk_practice::{PracticeConfig, PracticeServer, PracticeWorkspace};
use batchdesk_test_support::practice::{self, PracticeHttp};
pub use batchdesk_test_support::samples::bytes as sample;
use serde_json::{Value, json};

pub struct Api {
    pub server: PracticeServer,
    http: PracticeHttp,
}

/// The default practice workspace's id.
pub fn workspace_id() -> String {
    PracticeWorkspace::default().id
}

impl Api {
    /// A server whose processing finishes, and whose studies fill, by the next read.
    pub async fn start() -> Self {
        Self::with(practice::instant()).await
    }

    pub async fn with(config: PracticeConfig) -> Self {
        let server = practice::start(config).await;
        let http = PracticeHttp::of(&server);
        Self { server, http }
    }

    pub fn url(&self, path: &str) -> String {
        self.http.url(path)
    }

    /// Sends a request and reads the answer, which must fit the spec (see
    /// `spec::check_answer`): every test is a contract test too.
    async fn send(&self, request: reqwest::RequestBuilder, token: bool) -> (u16, Value) {
        let request = if token {
            self.http.with_token(request)
        } else {
            request
        };
        let (method, path) = request
            .try_clone()
            .and_then(|clone| clone.build().ok())
            .map(|built| (built.method().to_string(), built.url().path().to_owned()))
            .unwrap_or_default();
        let (status, body) = practice::send(request).await;
        spec::check_answer(&method, &path, status, &body);
        (status, body)
    }

    /// Any method, with an optional JSON body.
    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let request = self.http.client().request(method, self.url(path));
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        self.send(request, true).await
    }

    /// Any method with a raw body sent as JSON.
    pub async fn call_raw(&self, method: &str, path: &str, body: &'static str) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let request = self
            .http
            .client()
            .request(method, self.url(path))
            .header("Content-Type", "application/json")
            .body(body);
        self.send(request, true).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.http.client().get(self.url(path)), true)
            .await
    }

    /// Every item of the list at `path` (which may have a query), read page by page
    /// (`page=1, 2, …`) until a page past the end answers 404 "Invalid page.".
    pub async fn get_all(&self, path: &str) -> Vec<Value> {
        let joiner = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        for page in 1.. {
            let (status, body) = self.get(&format!("{path}{joiner}page={page}")).await;
            if status == 404 && page > 1 {
                assert_eq!(body["error"]["detail"], "Invalid page.", "{body}");
                break;
            }
            assert_eq!(status, 200, "{path} page {page}: {body}");
            let results = body["results"].as_array().unwrap();
            let empty = results.is_empty();
            items.extend(results.iter().cloned());
            if empty {
                break;
            }
        }
        items
    }

    pub async fn get_without_token(&self, path: &str) -> (u16, Value) {
        self.send(self.http.client().get(self.url(path)), false)
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.http.client().post(self.url(path)).json(&body), true)
            .await
    }

    pub async fn post_without_token(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.http.client().post(self.url(path)).json(&body), false)
            .await
    }

    pub async fn post_raw(&self, path: &str, body: &'static str) -> (u16, Value) {
        let request = self
            .http
            .client()
            .post(self.url(path))
            .header("Content-Type", "application/json")
            .body(body);
        self.send(request, true).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.http.client().patch(self.url(path)).json(&body), true)
            .await
    }

    /// A PUT to a presigned URL: no Prolific token, as a client must do.
    pub async fn put_upload(&self, url: &str, content_type: &str, bytes: Vec<u8>) -> (u16, String) {
        let response = self
            .http
            .client()
            .put(url)
            .header("Content-Type", content_type)
            .body(bytes)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    pub async fn create_v3_dataset(&self) -> String {
        let (status, dataset) = self
            .post(
                "/api/v1/data-collection/datasets",
                json!({"name": "Reviews", "workspace_id": workspace_id()}),
            )
            .await;
        assert_eq!(status, 201, "{dataset}");
        dataset["id"].as_str().unwrap().to_owned()
    }

    pub async fn create_v4_dataset(&self, schema: Value) -> String {
        let (status, dataset) = self
            .post(
                "/api/v1/data-collection/datasets",
                json!({"name": "Typed", "workspace_id": workspace_id(), "schema": schema}),
            )
            .await;
        assert_eq!(status, 201, "{dataset}");
        dataset["id"].as_str().unwrap().to_owned()
    }

    /// Asks for an upload URL (expecting 201) and returns its answer.
    pub async fn upload_url(&self, dataset_id: &str, filename: &str) -> Value {
        let (status, answer) = self
            .get(&format!(
                "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}"
            ))
            .await;
        assert_eq!(status, 201, "{answer}");
        answer
    }

    /// Uploads a file the way a client should, expecting the storage to take it.
    pub async fn upload(&self, dataset_id: &str, filename: &str, bytes: Vec<u8>) -> Value {
        let answer = self.upload_url(dataset_id, filename).await;
        let (status, text) = self
            .put_upload(
                answer["upload_url"].as_str().unwrap(),
                answer["content_type"].as_str().unwrap(),
                bytes,
            )
            .await;
        assert_eq!(status, 200, "{text}");
        answer
    }

    pub async fn dataset(&self, dataset_id: &str) -> Value {
        let (status, dataset) = self
            .get(&format!("/api/v1/data-collection/datasets/{dataset_id}"))
            .await;
        assert_eq!(status, 200, "{dataset}");
        dataset
    }

    /// A READY V3 dataset holding the given file.
    pub async fn ready_v3_dataset(&self, sample_name: &str) -> String {
        let id = self.create_v3_dataset().await;
        self.upload(&id, sample_name, sample(sample_name)).await;
        assert_eq!(self.dataset(&id).await["status"], "READY");
        id
    }
}

impl Api {
    /// A READY batch over `reviews.csv` (24 rows) with `tasks_per_group` tasks a group
    /// and no layout (so no questions, and no responses: see `ready_batch_with`).
    pub async fn ready_batch(&self, tasks_per_group: u64) -> String {
        self.ready_batch_with(tasks_per_group, None).await
    }

    /// `ready_batch`, with a `batch_items` layout when given.
    pub async fn ready_batch_with(&self, tasks_per_group: u64, layout: Option<Value>) -> String {
        let dataset = self.ready_v3_dataset("reviews.csv").await;
        let mut body = json!({"name": "Reviews", "workspace_id": workspace_id(), "dataset_id": dataset,
               "task_details": {"task_name": "Rate", "task_introduction": "Read.", "task_steps": "Rate."}});
        if let Some(layout) = layout {
            body["batch_items"] = layout;
        }
        let (status, batch) = self.post("/api/v1/data-collection/batches", body).await;
        assert_eq!(status, 201, "{batch}");
        let id = batch["id"].as_str().unwrap().to_owned();
        let (status, answer) = self
            .post(
                &format!("/api/v1/data-collection/batches/{id}/setup"),
                json!({"tasks_per_group": tasks_per_group}),
            )
            .await;
        assert_eq!(status, 202, "{answer}");
        let (_, batch) = self
            .get(&format!("/api/v1/data-collection/batches/{id}"))
            .await;
        assert_eq!(batch["status"], "READY", "{batch}");
        id
    }
}

/// A one-page layout with one single-choice question.
pub fn one_question() -> Value {
    json!([{ "rows": [{ "columns": [{ "items": [
        {"type": "multiple_choice", "description": "Helpful?", "answer_limit": 1,
         "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}]}
    ]}]}]}])
}

/// The body of a minimal Task Builder study for `batch_id`, as the official template has it.
pub fn study_body(batch_id: &str) -> Value {
    json!({
        "name": "Rate reviews", "internal_name": "Practice run", "description": "<p>Rate some reviews.</p>",
        "data_collection_method": "AI_TASK_BUILDER_BATCH", "data_collection_id": batch_id,
        "data_collection_metadata": {"annotators_per_task": 2},
        "project": PracticeWorkspace::default().default_project_id,
        "prolific_id_option": "question", "estimated_completion_time": 5, "reward": 100,
        "device_compatibility": ["desktop"], "peripheral_requirements": [], "filters": [],
        "submissions_config": {"max_submissions_per_participant": 1}
    })
}

/// Asserts Prolific's standard error shape with the given status.
pub fn assert_error(status: u16, body: &Value, expected: u16) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["status"], expected, "{body}");
    assert!(body["error"]["error_code"].is_u64(), "{body}");
    assert!(body["error"]["title"].is_string(), "{body}");
    assert!(!body["error"]["detail"].is_null(), "{body}");
}
