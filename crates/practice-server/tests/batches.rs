//! Batches over real HTTP: create, list, read, update with the layout id rules, the
//! `INVALID_BATCH_ITEMS` answer, and setup into tasks and groups.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use common::{Api, assert_error, sample, workspace_id};
use serde_json::{Value, json};

const BATCHES: &str = "/api/v1/data-collection/batches";

fn task_details() -> Value {
    json!({
        "task_name": "Rate the review",
        "task_introduction": "<p>Read each review.</p>",
        "task_steps": "<ol><li>Read</li><li>Rate</li></ol>"
    })
}

fn new_batch(extra: Value) -> Value {
    let mut body = json!({"name": "Sentiment", "workspace_id": workspace_id(), "task_details": task_details()});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

fn sentiment_question() -> Value {
    json!({"type": "multiple_choice", "description": "How does the review feel?", "answer_limit": 1,
           "options": [{"label": "Positive", "value": "pos"}, {"label": "Negative", "value": "neg"}]})
}

fn one_page(items: Value) -> Value {
    json!([{ "rows": [{ "columns": [{ "items": items }] }] }])
}

async fn create(api: &Api, body: Value) -> Value {
    let (status, batch) = api.post(BATCHES, body).await;
    assert_eq!(status, 201, "{batch}");
    batch
}

fn comparison_schema() -> Value {
    json!({"strict": true, "fields": {
        "option_a": {"type": "text"}, "option_b": {"type": "text"},
        "group": {"type": "task_group_id"}, "source": {"type": "metadata"}
    }})
}

/// A V4 dataset whose one import is complete: 5 records in 3 named groups.
async fn complete_v4_dataset(api: &Api) -> String {
    let id = api.create_v4_dataset(comparison_schema()).await;
    let file = "option_a,option_b,group,source\n\
                a1,b1,g1,x\na2,b2,g1,x\na3,b3,g2,x\na4,b4,g3,x\na5,b5,g3,x\n";
    api.upload(&id, "pairs.csv", file.as_bytes().to_vec()).await;
    id
}

// --- create, read, list -----------------------------------------------------------------

#[tokio::test]
async fn a_new_batch_is_uninitialised_with_its_details() {
    let api = Api::start().await;
    let batch = create(&api, new_batch(json!({}))).await;
    let id = batch["id"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
    assert_eq!(batch["name"], "Sentiment");
    assert_eq!(batch["status"], "UNINITIALISED");
    assert_eq!(batch["workspace_id"], workspace_id());
    assert_eq!(batch["task_details"], task_details());
    assert_eq!(batch["datasets"], json!([]));
    assert_eq!(
        batch["schema_version"], 1,
        "the batch's schema_version is an integer"
    );
    assert_eq!(batch["total_task_count"], 0);
    assert_eq!(batch["total_task_groups"], 0);
    assert_eq!(batch["total_instruction_count"], 0);
    assert!(batch["batch_items"].is_null());

    let (status, read) = api.get(&format!("{BATCHES}/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(read, batch);
    let (status, body) = api.get(&format!("{BATCHES}/{id}/status")).await;
    assert_eq!((status, body), (200, json!({"status": "UNINITIALISED"})));
}

#[tokio::test]
async fn a_layout_comes_back_with_an_id_on_every_page_row_column_and_item() {
    let api = Api::start().await;
    let dataset = complete_v4_dataset(&api).await;
    let layout = json!([{ "rows": [
        { "columns": [
            { "items": [ {"type": "dataset_field", "field": "option_a"} ] },
            { "items": [ {"type": "dataset_field", "field": "option_b"} ] } ] },
        { "columns": [ { "items": [ sentiment_question(),
            {"type": "free_text", "description": "Why?", "validation": {"type": "string", "min": 10, "max": 500}} ] } ] }
    ]}]);
    let batch = create(
        &api,
        new_batch(
            json!({"dataset_id": dataset, "batch_items": layout, "auto_sync_enabled": false}),
        ),
    )
    .await;
    assert_eq!(batch["total_instruction_count"], 2);
    assert_eq!(batch["auto_sync_enabled"], false);
    assert_eq!(batch["datasets"][0]["id"], dataset);
    assert_eq!(batch["datasets"][0]["total_datapoint_count"], 5);
    let page = &batch["batch_items"][0];
    assert!(page["id"].is_string());
    for row in page["rows"].as_array().unwrap() {
        assert!(row["id"].is_string());
        for column in row["columns"].as_array().unwrap() {
            assert!(column["id"].is_string());
            for item in column["items"].as_array().unwrap() {
                assert!(item["id"].is_string(), "{item}");
            }
        }
    }
    assert_eq!(
        page["rows"][1]["columns"][0]["items"][1]["validation"]["max"],
        500
    );
}

#[tokio::test]
async fn batches_are_listed_by_workspace() {
    let api = Api::start().await;
    let first = create(&api, new_batch(json!({"name": "One"}))).await;
    let second = create(&api, new_batch(json!({"name": "Two"}))).await;
    let (status, list) = api
        .get(&format!("{BATCHES}?workspace_id={}", workspace_id()))
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["meta"]["count"], 2);
    assert_eq!(list["results"][0]["id"], first["id"]);
    assert_eq!(list["results"][1]["id"], second["id"]);

    let (status, body) = api.get(BATCHES).await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["workspace_id"].is_array());
    let (status, body) = api
        .get(&format!("{BATCHES}?workspace_id=000000000000000000000000"))
        .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn unknown_batches_are_404_and_every_endpoint_needs_the_token() {
    let api = Api::start().await;
    let unknown = uuid::Uuid::now_v7();
    for path in [
        format!("{BATCHES}/{unknown}"),
        format!("{BATCHES}/{unknown}/status"),
        format!("{BATCHES}/not-a-uuid"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_error(status, &body, 404);
        let (status, body) = api.get_without_token(&path).await;
        assert_error(status, &body, 401);
    }
    let (status, body) = api
        .patch(&format!("{BATCHES}/{unknown}"), json!({"name": "x"}))
        .await;
    assert_error(status, &body, 404);
    let (status, body) = api
        .post(&format!("{BATCHES}/{unknown}/setup"), json!({}))
        .await;
    assert_error(status, &body, 404);
    let (status, body) = api.post_without_token(BATCHES, new_batch(json!({}))).await;
    assert_error(status, &body, 401);
    let (status, body) = api
        .post_without_token(&format!("{BATCHES}/{unknown}/setup"), json!({}))
        .await;
    assert_error(status, &body, 401);
    let (status, body) = api
        .get_without_token(&format!("{BATCHES}?workspace_id={}", workspace_id()))
        .await;
    assert_error(status, &body, 401);
}

#[tokio::test]
async fn bad_batch_bodies_are_400_with_field_detail() {
    let api = Api::start().await;
    let unknown_dataset = uuid::Uuid::now_v7().to_string();
    let cases = [
        (json!({}), vec!["name", "workspace_id", "task_details"]),
        (
            new_batch(json!({"task_details": {"task_name": "x"}})),
            vec!["task_details.task_introduction", "task_details.task_steps"],
        ),
        (
            new_batch(json!({"dataset_id": unknown_dataset})),
            vec!["dataset_id"],
        ),
        (
            new_batch(json!({"dataset_id": "not-a-uuid"})),
            vec!["dataset_id"],
        ),
        (
            new_batch(json!({"batch_items": {"rows": []}})),
            vec!["batch_items"],
        ),
        (
            new_batch(json!({"auto_sync_enabled": "yes"})),
            vec!["auto_sync_enabled"],
        ),
    ];
    for (body, fields) in cases {
        let (status, answer) = api.post(BATCHES, body.clone()).await;
        assert_error(status, &answer, 400);
        for field in fields {
            assert!(
                answer["error"]["detail"][field].is_array(),
                "{body} → {answer}"
            );
        }
    }
}

// --- INVALID_BATCH_ITEMS ----------------------------------------------------------------

async fn invalid_items(api: &Api, body: Value) -> Vec<Value> {
    let (status, answer) = api.post(BATCHES, body).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["type"], "INVALID_BATCH_ITEMS");
    assert!(answer["message"].is_string());
    answer["issues"].as_array().unwrap().clone()
}

#[tokio::test]
async fn item_rules_are_422_with_zero_based_locations() {
    let api = Api::start().await;
    let layout = json!([
        { "rows": [ { "columns": [ { "items": [ sentiment_question() ] } ] } ] },
        { "rows": [
            { "columns": [ { "items": [ {"type": "rich_text", "content": "Intro"} ] } ] },
            { "columns": [
                { "items": [ {"type": "rich_text", "content": "Left"} ] },
                { "items": [
                    {"type": "multiple_choice", "description": "Pick", "answer_limit": 3,
                     "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]},
                    {"type": "free_text_with_unit", "description": "Price", "unit_position": "prefix",
                     "unit_options": [{"label": "£", "value": "GBP"}], "default_unit": "USD"},
                    {"type": "file_upload", "description": "Files", "min_file_count": 4, "max_file_count": 2},
                    {"type": "image", "url": "http://example.org/a.png", "alt_text": "A"},
                    {"type": "multiple_choice", "description": "One", "answer_limit": 1,
                     "options": [{"label": "A", "value": "a"}, {"label": "None", "value": "none", "exclusive": true}]}
                ] } ] } ] }
    ]);
    let issues = invalid_items(&api, new_batch(json!({"batch_items": layout}))).await;
    let located: Vec<(u64, u64, u64, u64, &str)> = issues
        .iter()
        .map(|issue| {
            (
                issue["page"].as_u64().unwrap(),
                issue["row"].as_u64().unwrap(),
                issue["column"].as_u64().unwrap(),
                issue["item"].as_u64().unwrap(),
                issue["type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            (1, 1, 1, 0, "multiple_choice"),
            (1, 1, 1, 1, "free_text_with_unit"),
            (1, 1, 1, 2, "file_upload"),
            (1, 1, 1, 3, "image"),
            (1, 1, 1, 4, "multiple_choice"),
        ],
        "{issues:?}"
    );
    assert!(issues.iter().all(|issue| issue.get("field").is_none()));
}

#[tokio::test]
async fn dataset_fields_need_a_v4_dataset_that_has_them_once_per_page() {
    let api = Api::start().await;
    let v3 = api.ready_v3_dataset("reviews.csv").await;
    let shows = |field: &str| json!({"type": "dataset_field", "field": field});

    let issues = invalid_items(
        &api,
        new_batch(
            json!({"dataset_id": v3, "batch_items": one_page(json!([shows("review_text")]))}),
        ),
    )
    .await;
    assert_eq!(issues[0]["field"], "review_text");
    assert_eq!(issues[0]["type"], "dataset_field");

    let issues = invalid_items(
        &api,
        new_batch(json!({"batch_items": one_page(json!([shows("option_a")]))})),
    )
    .await;
    assert_eq!(issues.len(), 1, "no dataset at all");

    let v4 = complete_v4_dataset(&api).await;
    let items = json!([
        shows("option_a"),
        shows("option_a"),
        shows("missing"),
        shows("source")
    ]);
    let issues = invalid_items(
        &api,
        new_batch(json!({"dataset_id": v4, "batch_items": one_page(items)})),
    )
    .await;
    let fields: Vec<(u64, &str)> = issues
        .iter()
        .map(|issue| {
            (
                issue["item"].as_u64().unwrap(),
                issue["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(fields, [(1, "option_a"), (2, "missing"), (3, "source")]);
}

#[tokio::test]
async fn structure_problems_are_422_too() {
    let api = Api::start().await;
    let three_columns = json!([{ "rows": [{ "columns": [
        {"items": [{"type": "rich_text", "content": "a"}]},
        {"items": [{"type": "rich_text", "content": "b"}]},
        {"items": [{"type": "rich_text", "content": "c"}]} ] }] }]);
    let issues = invalid_items(&api, new_batch(json!({"batch_items": three_columns}))).await;
    assert_eq!(issues[0]["type"], "row");
    let issues = invalid_items(&api, new_batch(json!({"batch_items": []}))).await;
    assert_eq!(issues[0]["type"], "page");
    let issues = invalid_items(
        &api,
        new_batch(json!({"batch_items": one_page(json!([{"type": "slider"}]))})),
    )
    .await;
    assert_eq!(issues[0]["type"], "slider");
}

// --- update -----------------------------------------------------------------------------

#[tokio::test]
async fn patch_changes_only_what_it_names() {
    let api = Api::start().await;
    let batch = create(
        &api,
        new_batch(json!({"batch_items": one_page(json!([sentiment_question()]))})),
    )
    .await;
    let path = format!("{BATCHES}/{}", batch["id"].as_str().unwrap());
    let (status, updated) = api
        .patch(&path, json!({"name": "Renamed", "auto_sync_enabled": true}))
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["auto_sync_enabled"], true);
    assert_eq!(updated["task_details"], batch["task_details"]);
    assert_eq!(updated["batch_items"], batch["batch_items"]);

    let (status, body) = api
        .patch(&path, json!({"task_details": {"task_name": "Only this"}}))
        .await;
    assert_error(status, &body, 400);
    let (status, body) = api.patch(&path, json!({"name": ""})).await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn patching_the_layout_keeps_given_ids_adds_new_ones_and_drops_the_rest() {
    let api = Api::start().await;
    let items = json!([
        {"type": "rich_text", "content": "Read the review."},
        sentiment_question(),
        {"type": "free_text", "description": "Anything else?"}
    ]);
    let batch = create(&api, new_batch(json!({"batch_items": one_page(items)}))).await;
    let path = format!("{BATCHES}/{}", batch["id"].as_str().unwrap());
    let mut layout = batch["batch_items"].clone();
    let old_items = layout[0]["rows"][0]["columns"][0]["items"]
        .as_array()
        .unwrap()
        .clone();

    // Keep the question (edited), drop the other two, add a new one.
    let mut question = old_items[1].clone();
    question["description"] = json!("How positive is it?");
    layout[0]["rows"][0]["columns"][0]["items"] =
        json!([question, {"type": "free_text", "description": "Why?"}]);
    let (status, updated) = api.patch(&path, json!({"batch_items": layout})).await;
    assert_eq!(status, 200, "{updated}");
    let new_items = updated["batch_items"][0]["rows"][0]["columns"][0]["items"]
        .as_array()
        .unwrap();
    assert_eq!(new_items.len(), 2);
    assert_eq!(new_items[0]["id"], old_items[1]["id"]);
    assert_eq!(new_items[0]["description"], "How positive is it?");
    assert!(new_items[1]["id"].is_string());
    assert!(!old_items.iter().any(|old| old["id"] == new_items[1]["id"]));
    assert_eq!(
        updated["batch_items"][0]["id"],
        batch["batch_items"][0]["id"]
    );
    assert_eq!(updated["total_instruction_count"], 2);

    // An id this batch never had is refused.
    let mut unknown = updated["batch_items"].clone();
    unknown[0]["rows"][0]["columns"][0]["items"][0]["id"] = json!(uuid::Uuid::now_v7().to_string());
    let (status, answer) = api.patch(&path, json!({"batch_items": unknown})).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["issues"][0]["item"], 0);

    // null clears the layout.
    let (status, cleared) = api.patch(&path, json!({"batch_items": null})).await;
    assert_eq!(status, 200);
    assert!(cleared["batch_items"].is_null());
    assert_eq!(cleared["total_instruction_count"], 0);
}

#[tokio::test]
async fn a_new_dataset_must_still_have_the_fields_the_layout_shows() {
    let api = Api::start().await;
    let v4 = complete_v4_dataset(&api).await;
    let layout =
        one_page(json!([{"type": "dataset_field", "field": "option_a"}, sentiment_question()]));
    let batch = create(
        &api,
        new_batch(json!({"dataset_id": v4, "batch_items": layout})),
    )
    .await;
    let v3 = api.ready_v3_dataset("reviews.csv").await;
    let (status, answer) = api
        .patch(
            &format!("{BATCHES}/{}", batch["id"].as_str().unwrap()),
            json!({"dataset_id": v3}),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["issues"][0]["field"], "option_a");
}

// --- setup ------------------------------------------------------------------------------

async fn set_up(api: &Api, batch: &Value, body: Value) -> Value {
    let id = batch["id"].as_str().unwrap();
    let (status, answer) = api.post(&format!("{BATCHES}/{id}/setup"), body).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer, json!({}));
    let (_, read) = api.get(&format!("{BATCHES}/{id}")).await;
    read
}

#[tokio::test]
async fn setup_groups_tasks_by_tasks_per_group() {
    let api = Api::start().await;
    let dataset = api.ready_v3_dataset("reviews.csv").await;
    let batch = create(&api, new_batch(json!({"dataset_id": dataset}))).await;
    let ready = set_up(&api, &batch, json!({"tasks_per_group": 5})).await;
    assert_eq!(ready["status"], "READY");
    assert_eq!(ready["total_task_count"], 24);
    assert_eq!(ready["total_task_groups"], 5, "ceil(24 / 5)");
    assert_eq!(ready["datasets"][0]["filename"], "reviews.csv");
    let (_, status) = api
        .get(&format!(
            "{BATCHES}/{}/status",
            batch["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status["status"], "READY");

    // tasks_per_group defaults to 1, and setup can be run again.
    let again = set_up(&api, &batch, json!({})).await;
    assert_eq!(again["total_task_groups"], 24);
}

#[tokio::test]
async fn setup_takes_the_dataset_from_its_body_and_honours_task_group_ids() {
    let api = Api::start().await;
    let dataset = api.ready_v3_dataset("grouped.csv").await;
    let batch = create(&api, new_batch(json!({}))).await;
    let ready = set_up(
        &api,
        &batch,
        json!({"dataset_id": dataset, "tasks_per_group": 2}),
    )
    .await;
    assert_eq!(ready["datasets"][0]["id"], dataset);
    assert_eq!(ready["total_task_count"], 20);
    assert_eq!(
        ready["total_task_groups"], 5,
        "META_TASK_GROUP_ID g1..g5 wins over tasks_per_group"
    );
}

#[tokio::test]
async fn setup_of_a_v4_batch_groups_by_its_task_group_id_field() {
    let api = Api::start().await;
    let dataset = complete_v4_dataset(&api).await;
    let layout =
        one_page(json!([{"type": "dataset_field", "field": "option_a"}, sentiment_question()]));
    let batch = create(
        &api,
        new_batch(json!({"dataset_id": dataset, "batch_items": layout})),
    )
    .await;
    let ready = set_up(&api, &batch, json!({"tasks_per_group": 4})).await;
    assert_eq!(ready["status"], "READY");
    assert_eq!(ready["total_task_count"], 5);
    assert_eq!(ready["total_task_groups"], 3);
}

#[tokio::test]
async fn setup_needs_a_ready_dataset() {
    let api = Api::start().await;
    let batch = create(&api, new_batch(json!({}))).await;
    let setup = format!("{BATCHES}/{}/setup", batch["id"].as_str().unwrap());
    let (status, body) = api.post(&setup, json!({})).await;
    assert_error(status, &body, 400);

    let uninitialised = api.create_v3_dataset().await;
    let (status, body) = api.post(&setup, json!({"dataset_id": uninitialised})).await;
    assert_error(status, &body, 400);

    let broken = api.create_v3_dataset().await;
    api.upload(&broken, "broken.csv", sample("broken-ragged.csv"))
        .await;
    let (status, body) = api.post(&setup, json!({"dataset_id": broken})).await;
    assert_error(status, &body, 400);

    let v4 = api.create_v4_dataset(comparison_schema()).await;
    api.upload(&v4, "bad.jsonl", b"not json\n".to_vec()).await;
    let (status, body) = api.post(&setup, json!({"dataset_id": v4})).await;
    assert_error(status, &body, 400);

    let ready = api.ready_v3_dataset("reviews.csv").await;
    for bad in [json!(0), json!(-2), json!("five")] {
        let (status, body) = api
            .post(&setup, json!({"dataset_id": ready, "tasks_per_group": bad}))
            .await;
        assert_error(status, &body, 400);
        assert!(body["error"]["detail"]["tasks_per_group"].is_array());
    }
    let (_, status) = api
        .get(&format!(
            "{BATCHES}/{}/status",
            batch["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        status["status"], "UNINITIALISED",
        "failed setups change nothing"
    );
}

#[tokio::test]
async fn setup_is_processing_until_the_delay_has_passed() {
    let api = Api::start().await;
    let dataset = api.ready_v3_dataset("reviews.csv").await;
    let batch = create(&api, new_batch(json!({"dataset_id": dataset}))).await;
    api.server.set_processing_delay(Duration::from_secs(3600));
    let processing = set_up(&api, &batch, json!({"tasks_per_group": 4})).await;
    assert_eq!(processing["status"], "PROCESSING");
    assert_eq!(
        processing["total_task_count"], 0,
        "no tasks until setup finishes"
    );
    let setup = format!("{BATCHES}/{}/setup", batch["id"].as_str().unwrap());
    let (status, body) = api.post(&setup, json!({})).await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("already being set up")
    );
}

#[tokio::test]
async fn setup_refuses_a_dataset_still_processing() {
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::from_secs(3600),
        ..PracticeConfig::default()
    })
    .await;
    let dataset = api.create_v3_dataset().await;
    api.upload(&dataset, "reviews.csv", sample("reviews.csv"))
        .await;
    let batch = create(&api, new_batch(json!({"dataset_id": dataset}))).await;
    let (status, body) = api
        .post(
            &format!("{BATCHES}/{}/setup", batch["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("PROCESSING"),
        "{body}"
    );
}
