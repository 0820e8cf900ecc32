//! Datasets over real HTTP: creation, presigned uploads to the storage route, CSV
//! processing to READY or ERROR, and V4 import jobs.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use common::{Api, assert_error, sample, workspace_id};
use serde_json::{Value, json};

const DATASETS: &str = "/api/v1/data-collection/datasets";

fn review_schema() -> Value {
    json!({"strict": true, "fields": {
        "prompt": {"type": "text", "label": "Prompt"},
        "image": {"type": "image_url"},
        "group": {"type": "task_group_id"},
        "source": {"type": "metadata"}
    }})
}

// --- creating and reading ---------------------------------------------------------------

#[tokio::test]
async fn a_dataset_without_a_schema_is_v3_and_starts_uninitialised() {
    let api = Api::start().await;
    let (status, dataset) = api
        .post(
            DATASETS,
            json!({"name": "Reviews", "workspace_id": workspace_id()}),
        )
        .await;
    assert_eq!(status, 201, "{dataset}");
    let id = dataset["id"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
    assert_eq!(dataset["name"], "Reviews");
    assert_eq!(dataset["workspace_id"], workspace_id());
    assert_eq!(
        dataset["schema_version"], "3",
        "the dataset's schema_version is a string"
    );
    assert_eq!(dataset["status"], "UNINITIALISED");
    assert_eq!(dataset["total_datapoint_count"], 0);
    assert!(dataset["filename"].is_null());
    assert!(dataset.get("schema").is_none() && dataset.get("imports").is_none());

    assert_eq!(api.dataset(id).await, dataset);
    let (status, body) = api.get(&format!("{DATASETS}/{id}/status")).await;
    assert_eq!((status, body), (200, json!({"status": "UNINITIALISED"})));
}

#[tokio::test]
async fn a_dataset_with_a_schema_is_v4_with_imports_and_no_status() {
    let api = Api::start().await;
    let (status, dataset) = api
        .post(
            DATASETS,
            json!({"name": "Typed", "workspace_id": workspace_id(), "schema": review_schema()}),
        )
        .await;
    assert_eq!(status, 201, "{dataset}");
    assert_eq!(dataset["schema_version"], "4");
    assert_eq!(dataset["schema"]["fields"]["prompt"]["label"], "Prompt");
    assert_eq!(dataset["imports"], json!([]));
    assert!(dataset.get("status").is_none());
    let (status, body) = api
        .get(&format!(
            "{DATASETS}/{}/status",
            dataset["id"].as_str().unwrap()
        ))
        .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn bad_dataset_bodies_are_400_with_field_detail() {
    let api = Api::start().await;
    let cases = [
        (json!({}), vec!["name", "workspace_id"]),
        (
            json!({"name": "x", "workspace_id": "000000000000000000000000"}),
            vec!["workspace_id"],
        ),
        (
            json!({"name": 5, "workspace_id": workspace_id()}),
            vec!["name"],
        ),
        (
            json!({"name": "x", "workspace_id": workspace_id(), "schema": {"fields": {"a": {"type": "text"}}}}),
            vec!["schema.strict"],
        ),
        (
            json!({"name": "x", "workspace_id": workspace_id(),
                   "schema": {"strict": true, "fields": {"a": {"type": "task_group_id"}, "b": {"type": "task_group_id"}}}}),
            vec!["schema.fields"],
        ),
        (
            json!({"name": "x", "workspace_id": workspace_id(),
                   "schema": {"strict": true, "fields": {"a": {"type": "number"}}}}),
            vec!["schema.fields.a.type"],
        ),
    ];
    for (body, fields) in cases {
        let (status, answer) = api.post(DATASETS, body.clone()).await;
        assert_error(status, &answer, 400);
        for field in fields {
            assert!(
                answer["error"]["detail"][field].is_array(),
                "{body} → {answer}"
            );
        }
    }
}

#[tokio::test]
async fn unknown_datasets_are_404_and_every_endpoint_needs_the_token() {
    let api = Api::start().await;
    let unknown = uuid::Uuid::now_v7();
    for path in [
        format!("{DATASETS}/{unknown}"),
        format!("{DATASETS}/{unknown}/status"),
        format!("{DATASETS}/{unknown}/upload-url/data.csv"),
        format!("{DATASETS}/{unknown}/imports/{unknown}"),
        format!("{DATASETS}/not-a-uuid"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_error(status, &body, 404);
        let (status, body) = api.get_without_token(&path).await;
        assert_error(status, &body, 401);
    }
    let (status, body) = api
        .post_without_token(
            DATASETS,
            json!({"name": "x", "workspace_id": workspace_id()}),
        )
        .await;
    assert_error(status, &body, 401);
    // Task Builder paths have no trailing slash.
    let (status, body) = api
        .post(
            &format!("{DATASETS}/"),
            json!({"name": "x", "workspace_id": workspace_id()}),
        )
        .await;
    assert_error(status, &body, 404);
}

// --- upload URLs and the storage route --------------------------------------------------

#[tokio::test]
async fn an_upload_url_is_a_201_describing_a_presigned_put() {
    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    let answer = api.upload_url(&id, "reviews.csv").await;
    assert_eq!(answer["dataset_id"], id);
    assert_eq!(answer["http_method"], "PUT");
    assert_eq!(answer["content_type"], "text/csv");
    assert!(
        answer.get("import_id").is_none(),
        "V3 uploads have no import job"
    );
    let url = answer["upload_url"].as_str().unwrap();
    assert!(url.starts_with(&api.server.base_url()), "{url}");
    assert!(url.contains(answer["file_key"].as_str().unwrap()));
    assert!(url.contains("signature="));
    let expires =
        chrono::DateTime::parse_from_rfc3339(answer["expires_at"].as_str().unwrap()).unwrap();
    let minutes = (expires.to_utc() - chrono::Utc::now()).num_minutes();
    assert!(
        (13..=15).contains(&minutes),
        "valid for about 15 minutes, got {minutes}"
    );

    let zip = api.upload_url(&id, "bundle.zip").await;
    assert_eq!(zip["content_type"], "application/zip");
    assert_ne!(
        zip["file_key"], answer["file_key"],
        "every call makes a new key"
    );
}

#[tokio::test]
async fn the_extension_must_fit_the_dataset_version() {
    let api = Api::start().await;
    let v3 = api.create_v3_dataset().await;
    let v4 = api.create_v4_dataset(review_schema()).await;
    for (dataset, filename) in [
        (&v3, "data.jsonl"),
        (&v3, "data.txt"),
        (&v3, "data"),
        (&v4, "data.zip"),
        (&v4, "data.xlsx"),
    ] {
        let (status, body) = api
            .get(&format!("{DATASETS}/{dataset}/upload-url/{filename}"))
            .await;
        assert_error(status, &body, 400);
    }
    let jsonl = api.upload_url(&v4, "data.jsonl").await;
    assert_eq!(jsonl["content_type"], "application/x-ndjson");
    assert!(jsonl["import_id"].is_string());
}

#[tokio::test]
async fn the_storage_route_takes_a_signed_put_without_the_prolific_token() {
    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    let answer = api.upload_url(&id, "reviews.csv").await;
    let url = answer["upload_url"].as_str().unwrap();
    // The Prolific token beside the signature is refused, as S3 refuses two ways of
    // authenticating one request (and the token must never reach the storage).
    let with_token = reqwest::Client::new()
        .put(url)
        .header("Content-Type", "text/csv")
        .header("Authorization", format!("Token {}", api.server.token()))
        .body(sample("reviews.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status().as_u16(), 400);
    assert!(
        with_token
            .text()
            .await
            .unwrap()
            .contains("<Code>InvalidArgument</Code>")
    );
    let (status, text) = api.put_upload(url, "text/csv", sample("reviews.csv")).await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test]
async fn tampered_urls_and_other_content_types_are_refused_like_s3() {
    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    let answer = api.upload_url(&id, "reviews.csv").await;
    let url = answer["upload_url"].as_str().unwrap().to_owned();
    let (base, signature) = url.rsplit_once("signature=").unwrap();
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    let tampered_signature = format!("{base}signature={flipped}{}", &signature[1..]);
    let later = chrono::Utc::now().timestamp() + 86_400;
    let tampered_expiry = regex_free_replace_expires(&url, later);
    let other_key = url.replace("reviews.csv", "other.csv");

    for (url, content_type) in [
        (tampered_signature.as_str(), "text/csv"),
        (tampered_expiry.as_str(), "text/csv"),
        (other_key.as_str(), "text/csv"),
        (url.as_str(), "application/octet-stream"),
    ] {
        let (status, text) = api
            .put_upload(url, content_type, sample("reviews.csv"))
            .await;
        assert_eq!(status, 403, "{url} {content_type}");
        assert!(
            text.contains("<Code>SignatureDoesNotMatch</Code>"),
            "{text}"
        );
    }
    let stripped = url.split('?').next().unwrap();
    let (status, text) = api
        .put_upload(stripped, "text/csv", sample("reviews.csv"))
        .await;
    assert_eq!(status, 403);
    assert!(text.contains("AccessDenied"), "{text}");
    // Nothing was stored by the refused PUTs.
    assert_eq!(api.dataset(&id).await["status"], "UNINITIALISED");
}

fn regex_free_replace_expires(url: &str, expires: i64) -> String {
    let (start, rest) = url.split_once("expires=").unwrap();
    let (_, tail) = rest.split_once('&').unwrap();
    format!("{start}expires={expires}&{tail}")
}

#[tokio::test]
async fn an_expired_url_is_refused() {
    let api = Api::with(PracticeConfig {
        upload_url_ttl: Duration::ZERO,
        processing_delay: Duration::ZERO,
        ..PracticeConfig::default()
    })
    .await;
    let id = api.create_v3_dataset().await;
    let answer = api.upload_url(&id, "reviews.csv").await;
    let (status, text) = api
        .put_upload(
            answer["upload_url"].as_str().unwrap(),
            "text/csv",
            sample("reviews.csv"),
        )
        .await;
    assert_eq!(status, 403);
    assert!(text.contains("Request has expired"), "{text}");
    assert_eq!(api.dataset(&id).await["status"], "UNINITIALISED");
}

#[tokio::test]
async fn the_storage_route_takes_put_and_get_and_an_upload_url_reads_nothing() {
    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    let answer = api.upload_url(&id, "reviews.csv").await;
    let url = answer["upload_url"].as_str().unwrap();
    let response = reqwest::Client::new().delete(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    // GET serves reports and exports; an upload URL is not signed for reading.
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("SignatureDoesNotMatch")
    );
}

// --- V3 processing ----------------------------------------------------------------------

#[tokio::test]
async fn a_clean_csv_becomes_ready_with_its_row_count() {
    let api = Api::start().await;
    for (file, rows, grouped) in [
        ("reviews.csv", 24, false),
        ("grouped.csv", 20, true),
        ("pairwise-preference.csv", 30, false),
        ("images.csv", 20, false),
        ("mac-classic-cr.csv", 12, false),
        ("duplicates-and-blanks.csv", 13, false),
    ] {
        let id = api.create_v3_dataset().await;
        api.upload(&id, file, sample(file)).await;
        let dataset = api.dataset(&id).await;
        assert_eq!(dataset["status"], "READY", "{file}: {dataset}");
        assert_eq!(dataset["total_datapoint_count"], rows, "{file}");
        assert_eq!(dataset["filename"], file);
        assert_eq!(dataset["has_predetermined_grouping_id"], grouped, "{file}");
        let (_, status) = api.get(&format!("{DATASETS}/{id}/status")).await;
        assert_eq!(status["status"], "READY");
    }
}

#[tokio::test]
async fn files_that_cannot_be_read_end_in_error() {
    let api = Api::start().await;
    for file in [
        "broken-ragged.csv",
        "reviews-windows-1252.csv",
        // Semicolons are not the delimiter, so rows whose text holds a comma are ragged.
        "reviews-excel-semicolon-bom.csv",
        "empty.csv",
        "header-only.csv",
    ] {
        let id = api.create_v3_dataset().await;
        api.upload(&id, file, sample(file)).await;
        let dataset = api.dataset(&id).await;
        assert_eq!(dataset["status"], "ERROR", "{file}: {dataset}");
        assert_eq!(dataset["total_datapoint_count"], 0, "{file}");
    }
}

#[tokio::test]
async fn processing_takes_the_configured_delay() {
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await;
    let id = api.create_v3_dataset().await;
    api.upload(&id, "reviews.csv", sample("reviews.csv")).await;
    let (_, status) = api.get(&format!("{DATASETS}/{id}/status")).await;
    assert_eq!(status["status"], "PROCESSING");
    let dataset = api.dataset(&id).await;
    assert_eq!(
        dataset["total_datapoint_count"], 0,
        "no datapoints until processed"
    );
    assert!(dataset["has_predetermined_grouping_id"].is_null());
}

#[tokio::test]
async fn a_later_upload_replaces_the_data() {
    let api = Api::start().await;
    let id = api.create_v3_dataset().await;
    api.upload(&id, "reviews.csv", sample("reviews.csv")).await;
    api.upload(&id, "grouped.csv", sample("grouped.csv")).await;
    let dataset = api.dataset(&id).await;
    assert_eq!(dataset["filename"], "grouped.csv");
    assert_eq!(dataset["total_datapoint_count"], 20);
}

// --- V4 imports -------------------------------------------------------------------------

#[tokio::test]
async fn a_v4_upload_is_tracked_by_its_import_job() {
    let api = Api::start().await;
    let id = api.create_v4_dataset(review_schema()).await;
    let answer = api.upload_url(&id, "data.jsonl").await;
    let import_id = answer["import_id"].as_str().unwrap().to_owned();
    let import_path = format!("{DATASETS}/{id}/imports/{import_id}");

    let (status, job) = api.get(&import_path).await;
    assert_eq!(status, 200);
    assert_eq!(job["status"], "uninitialised");
    assert_eq!(job["type"], "file_upload");
    assert_eq!(job["filename"], "data.jsonl");

    let records = [
        json!({"prompt": "a", "image": "https://x.org/1.png", "group": "g1", "source": "web"}),
        json!({"prompt": "b", "image": "https://x.org/2.png", "group": "g1", "source": "web"}),
        json!({"prompt": "c", "image": "https://x.org/3.png", "group": "g2", "source": "web"}),
    ];
    let file = records
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    let (status, text) = api
        .put_upload(
            answer["upload_url"].as_str().unwrap(),
            "application/x-ndjson",
            file.into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{text}");

    let (_, job) = api.get(&import_path).await;
    assert_eq!(job["status"], "complete", "{job}");
    assert_eq!(job["accepted_count"], 3);
    let dataset = api.dataset(&id).await;
    assert_eq!(dataset["total_datapoint_count"], 3);
    assert_eq!(dataset["imports"][0]["import_id"], import_id);
}

#[tokio::test]
async fn a_v4_import_with_bad_records_is_partial_and_an_unreadable_one_failed() {
    let api = Api::start().await;
    let id = api.create_v4_dataset(review_schema()).await;

    let partial = "{\"prompt\":\"a\",\"image\":\"https://x.org/1.png\",\"group\":\"g\",\"source\":\"s\"}\n\
                   {\"prompt\":\"b\"}\n\
                   not json\n";
    let answer = api
        .upload(&id, "mixed.jsonl", partial.as_bytes().to_vec())
        .await;
    let (_, job) = api
        .get(&format!(
            "{DATASETS}/{id}/imports/{}",
            answer["import_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(job["status"], "partial", "{job}");
    assert_eq!(job["accepted_count"], 1);
    assert_eq!(job["rejected_count"], 2);
    assert_eq!(
        job["errors"][1],
        json!({"record_index": 2, "field": "_raw", "reason": job["errors"][1]["reason"]})
    );
    // Setup needs an import with every record taken (the spec's rule for typed
    // datasets): a partial one is not enough.
    let (status, batch) = api
        .post(
            "/api/v1/data-collection/batches",
            json!({"name": "On a partial import", "workspace_id": workspace_id(), "dataset_id": id,
                   "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"}}),
        )
        .await;
    assert_eq!(status, 201, "{batch}");
    let (status, refused) = api
        .post(
            &format!(
                "/api/v1/data-collection/batches/{}/setup",
                batch["id"].as_str().unwrap()
            ),
            json!({"tasks_per_group": 1}),
        )
        .await;
    assert_error(status, &refused, 400);

    let answer = api
        .upload(&id, "broken.csv", sample("reviews-windows-1252.csv"))
        .await;
    let (_, job) = api
        .get(&format!(
            "{DATASETS}/{id}/imports/{}",
            answer["import_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(job["reason"].is_string());

    let dataset = api.dataset(&id).await;
    assert_eq!(dataset["imports"].as_array().unwrap().len(), 2);
    assert_eq!(
        dataset["imports"][0]["filename"], "broken.csv",
        "newest first"
    );
    let (status, body) = api
        .get(&format!("{DATASETS}/{id}/imports/{}", uuid::Uuid::now_v7()))
        .await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn v4_imports_queue_behind_one_in_progress() {
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await;
    let id = api
        .create_v4_dataset(json!({"strict": false, "fields": {"prompt": {"type": "text"}}}))
        .await;
    let first = api.upload(&id, "a.csv", b"prompt\nhello\n".to_vec()).await;
    let second = api.upload(&id, "b.csv", b"prompt\nworld\n".to_vec()).await;
    let status_of = |answer: &Value| {
        format!(
            "{DATASETS}/{id}/imports/{}",
            answer["import_id"].as_str().unwrap()
        )
    };
    assert_eq!(api.get(&status_of(&first)).await.1["status"], "processing");
    assert_eq!(api.get(&status_of(&second)).await.1["status"], "queued");
}
