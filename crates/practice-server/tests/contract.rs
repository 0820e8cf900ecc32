//! The practice server against Prolific's published spec (the facts of `openapi-contract/spec/`):
//! every route it serves exists there with that method and a success status the spec
//! lists; every request body the suite sends and every response it gets back validates
//! against the spec's schemas with a real JSON Schema (2020-12) validator; and every
//! request example the spec gives for a served route is accepted.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use batchdesk_practice::endpoints;
use common::spec::{SPEC, operation, problems, schema_name};
use common::{Api, workspace_id};
use serde_json::{Value, json};

#[test]
fn every_served_route_is_in_the_spec_with_its_method_and_success_status() {
    let served = endpoints();
    assert!(
        served.len() >= 17,
        "the table lists the whole API surface: {served:?}"
    );
    for endpoint in &served {
        let operation = operation(endpoint).unwrap_or_else(|| {
            panic!(
                "{} {} is not in openapi.yaml",
                endpoint.method, endpoint.path
            )
        });
        let status = endpoint.success_status.to_string();
        // Past its sunset an endpoint answers 410 and nothing else. Only the batch
        // instructions endpoints are sunset (the spec's prose: deprecated, sunset on
        // 2026-09-01; its schema has no `deprecated` flag to read).
        if endpoint.success_status == 410 {
            assert!(
                endpoint.path.ends_with("/instructions"),
                "{endpoint:?} is sunset"
            );
            continue;
        }
        assert!(
            (200..300).contains(&endpoint.success_status),
            "{endpoint:?} succeeds with a 2xx"
        );
        assert!(
            operation["responses"].get(&status).is_some(),
            "{} {} answers {status}, which the spec does not list: {:?}",
            endpoint.method,
            endpoint.path,
            operation["responses"]
                .as_object()
                .map(|responses| responses.keys().collect::<Vec<_>>())
        );
    }
    let unique: BTreeSet<_> = served
        .iter()
        .map(|endpoint| (endpoint.method, endpoint.path))
        .collect();
    assert_eq!(unique.len(), served.len(), "no route is listed twice");
}

#[test]
fn the_spec_statuses_that_are_easy_to_get_wrong_are_the_ones_served() {
    let status_of = |method: &str, path: &str| {
        endpoints()
            .into_iter()
            .find(|endpoint| endpoint.method == method && endpoint.path == path)
            .unwrap_or_else(|| panic!("{method} {path} is served"))
            .success_status
    };
    assert_eq!(
        status_of(
            "GET",
            "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}"
        ),
        201
    );
    assert_eq!(
        status_of("POST", "/api/v1/data-collection/batches/{batch_id}/setup"),
        202
    );
    assert_eq!(status_of("POST", "/api/v1/data-collection/batches"), 201);
    assert_eq!(
        status_of("POST", "/api/v1/workspaces/{workspace_id}/projects/"),
        201
    );
}

/// Every path in the table is really routed: a method none serves (TRACE) is a 405
/// there, where an unrouted path would be a 404.
#[tokio::test]
async fn every_listed_path_is_routed() {
    let api = Api::start().await;
    let client = reqwest::Client::new();
    for endpoint in endpoints() {
        let path = endpoint
            .path
            .replace("{workspace_id}", &workspace_id())
            .replace("{filename}", "data.csv")
            .replace("{dataset_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{batch_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{import_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{id}", "64395e9c2332b8a59a65d51e");
        let response = client
            .request(reqwest::Method::TRACE, api.url(&path))
            .header("Authorization", format!("Token {}", api.server.token()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 405, "{path}");
    }
}

// --- request and response bodies against the spec's schemas -----------------------------

/// The server behind a checker: every call validates the request body against the
/// operation's request schema, and the answer against the schema of the status it came
/// with. Statuses the spec does not list for an operation (401, 404, 405, which Prolific
/// answers everywhere) must fit the spec's standard `Error`.
struct Contract {
    api: Api,
    /// The served (method, path) pairs whose success body was checked.
    checked: BTreeSet<(String, String)>,
}

impl Contract {
    async fn start() -> Self {
        Self {
            api: Api::start().await,
            checked: BTreeSet::new(),
        }
    }

    /// Calls `path` (the template filled in) and checks both bodies.
    async fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let endpoint = endpoints()
            .into_iter()
            .find(|endpoint| endpoint.method == method && endpoint.path == template)
            .unwrap_or_else(|| panic!("{method} {template} is served"));
        let lower = method.to_ascii_lowercase();
        if let Some(body) = &body {
            let found = problems(&schema_name(&lower, template, "request"), body);
            assert!(
                found.is_empty(),
                "the request the test sends to {method} {template} does not fit the spec:\n{}\n{body:#}",
                found.join("\n")
            );
        }
        let (status, answer) = self.api.call(method, path, body.as_ref()).await;
        // A 204 carries no body at all (HTTP), whatever schema the spec gives it.
        if status == 204 {
            assert!(
                answer.is_null(),
                "{method} {path} answered 204 with {answer}"
            );
            assert!(
                operation(&endpoint).unwrap()["responses"]
                    .get("204")
                    .is_some(),
                "{method} {template} answered 204, which the spec does not list"
            );
            if status == endpoint.success_status {
                self.checked
                    .insert((method.to_owned(), template.to_owned()));
            }
            return (status, answer);
        }
        if common::spec::answers_csv(method, template, status) {
            common::spec::assert_csv(&answer, method, path);
            self.checked
                .insert((method.to_owned(), template.to_owned()));
            return (status, answer);
        }
        let response = &operation(&endpoint).unwrap()["responses"][status.to_string()];
        let documented = !response.is_null();
        // A spec quirk: some 400s (studies, submissions, filters) are documented as the
        // bare `ErrorDetail`, where every client (the CLI's `JSONAPIError`) and the other
        // endpoints have it inside `{"error": …}`. The server answers the one shape, and
        // its inner object must fit `ErrorDetail`.
        let bare_detail = response["content"]["application/json"]["schema"]["$ref"]
            == "#/components/schemas/ErrorDetail";
        let (component, answer_part) = if bare_detail {
            ("ErrorDetail".to_owned(), answer["error"].clone())
        } else if documented {
            (
                schema_name(&lower, template, &status.to_string()),
                answer.clone(),
            )
        } else {
            // 410 only from an endpoint past its sunset, which answers nothing else.
            assert!(
                matches!(status, 401 | 404 | 405)
                    || status == 410 && endpoint.success_status == 410,
                "{method} {template} answered {status}, which the spec does not list: {answer}"
            );
            ("Error".to_owned(), answer.clone())
        };
        let found = problems(&component, &answer_part);
        assert!(
            found.is_empty(),
            "{method} {template} answered {status} with a body that does not fit the spec:\n{}\n{answer:#}",
            found.join("\n")
        );
        if status == endpoint.success_status {
            self.checked
                .insert((method.to_owned(), template.to_owned()));
        }
        (status, answer)
    }

    async fn get(&mut self, template: &str, path: &str) -> Value {
        let (status, body) = self.call("GET", template, path, None).await;
        assert!((200..300).contains(&status), "GET {path}: {status} {body}");
        body
    }

    async fn send(&mut self, method: &str, template: &str, path: &str, body: Value) -> Value {
        let (status, answer) = self.call(method, template, path, Some(body)).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {answer}"
        );
        answer
    }

    /// Asks for an upload URL through the checker and PUTs the bytes to it.
    async fn upload(&mut self, dataset_id: &str, filename: &str, bytes: Option<Vec<u8>>) -> Value {
        let answer = self
            .get(
                "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}",
                &format!("/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}"),
            )
            .await;
        if let Some(bytes) = bytes {
            let (status, text) = self
                .api
                .put_upload(
                    answer["upload_url"].as_str().unwrap(),
                    answer["content_type"].as_str().unwrap(),
                    bytes,
                )
                .await;
            assert_eq!(status, 200, "{text}");
        }
        answer
    }
}

const DATASETS: &str = "/api/v1/data-collection/datasets";
const DATASET: &str = "/api/v1/data-collection/datasets/{dataset_id}";
const BATCHES: &str = "/api/v1/data-collection/batches";
const BATCH: &str = "/api/v1/data-collection/batches/{batch_id}";

fn layout() -> Value {
    json!([{ "rows": [{ "columns": [
        { "items": [ {"type": "dataset_field", "field": "text"} ] },
        { "items": [ {"type": "multiple_choice", "description": "Good?", "answer_limit": 1,
                      "options": [{"label": "Yes", "value": true}, {"label": "No", "value": false}]},
                     {"type": "free_text_with_unit", "description": "Price", "unit_position": "prefix",
                      "unit_options": [{"label": "£", "value": "gbp"}], "default_unit": "gbp"} ] } ] }] }])
}

fn task_details() -> Value {
    json!({"task_name": "t", "task_introduction": "i", "task_steps": "s"})
}

#[tokio::test]
async fn every_request_and_success_body_fits_the_spec() {
    let mut contract = Contract::start().await;
    let workspace = workspace_id();

    // Account.
    contract.get("/api/v1/users/me/", "/api/v1/users/me/").await;
    let (status, _) = contract
        .call(
            "POST",
            "/api/v1/workspaces/",
            "/api/v1/workspaces/",
            Some(json!({"title": "Contract", "currency_code": "USD"})),
        )
        .await;
    assert_eq!(status, 201);
    contract
        .get("/api/v1/workspaces/", "/api/v1/workspaces/")
        .await;
    contract
        .get(
            "/api/v1/workspaces/",
            "/api/v1/workspaces/?page=2&page_size=1",
        )
        .await;
    contract
        .get(
            "/api/v1/workspaces/{workspace_id}/",
            &format!("/api/v1/workspaces/{workspace}/"),
        )
        .await;
    contract
        .get(
            "/api/v1/workspaces/{workspace_id}/balance/",
            &format!("/api/v1/workspaces/{workspace}/balance/"),
        )
        .await;
    let projects = format!("/api/v1/workspaces/{workspace}/projects/");
    let projects_template = "/api/v1/workspaces/{workspace_id}/projects/";
    let (status, _) = contract
        .call(
            "POST",
            projects_template,
            &projects,
            Some(json!({"title": "Contract"})),
        )
        .await;
    assert_eq!(status, 201);
    contract.get(projects_template, &projects).await;

    // Datasets, V3 and V4.
    let v3 = contract
        .send(
            "POST",
            DATASETS,
            DATASETS,
            json!({"name": "V3", "workspace_id": workspace}),
        )
        .await;
    let v3_id = v3["id"].as_str().unwrap().to_owned();
    contract
        .upload(&v3_id, "reviews.csv", Some(common::sample("reviews.csv")))
        .await;
    let v3 = contract.get(DATASET, &format!("{DATASETS}/{v3_id}")).await;
    assert_eq!(v3["status"], "READY");
    contract
        .get(
            "/api/v1/data-collection/datasets/{dataset_id}/status",
            &format!("{DATASETS}/{v3_id}/status"),
        )
        .await;

    let schema = json!({"strict": false, "fields": {"text": {"type": "text"}, "group": {"type": "task_group_id"}}});
    let v4 = contract
        .send(
            "POST",
            DATASETS,
            DATASETS,
            json!({"name": "V4", "workspace_id": workspace, "schema": schema}),
        )
        .await;
    let v4_id = v4["id"].as_str().unwrap().to_owned();
    let good = contract
        .upload(
            &v4_id,
            "good.jsonl",
            Some(b"{\"text\": \"a\", \"group\": \"g\"}\n".to_vec()),
        )
        .await;
    let partial = contract
        .upload(
            &v4_id,
            "mixed.jsonl",
            Some(b"{\"text\": \"a\"}\n[1]\n".to_vec()),
        )
        .await;
    let pending = contract.upload(&v4_id, "later.csv", None).await;
    for answer in [&good, &partial, &pending] {
        contract
            .get(
                "/api/v1/data-collection/datasets/{dataset_id}/imports/{import_id}",
                &format!(
                    "{DATASETS}/{v4_id}/imports/{}",
                    answer["import_id"].as_str().unwrap()
                ),
            )
            .await;
    }
    let v4 = contract.get(DATASET, &format!("{DATASETS}/{v4_id}")).await;
    assert_eq!(v4["imports"].as_array().unwrap().len(), 3);
    if endpoints()
        .iter()
        .any(|endpoint| endpoint.method == "PATCH" && endpoint.path == DATASET)
    {
        contract
            .send(
                "PATCH",
                DATASET,
                &format!("{DATASETS}/{v4_id}"),
                json!({"name": "Renamed"}),
            )
            .await;
    }

    // Batches.
    let batch = contract
        .send(
            "POST",
            BATCHES,
            BATCHES,
            json!({"name": "Contract", "workspace_id": workspace, "dataset_id": v4_id,
                   "task_details": task_details(), "batch_items": layout()}),
        )
        .await;
    let batch_id = batch["id"].as_str().unwrap().to_owned();
    let (status, _) = contract
        .call(
            "POST",
            "/api/v1/data-collection/batches/{batch_id}/setup",
            &format!("{BATCHES}/{batch_id}/setup"),
            Some(json!({"dataset_id": v4_id, "tasks_per_group": 2})),
        )
        .await;
    assert_eq!(status, 202);
    let read = contract.get(BATCH, &format!("{BATCHES}/{batch_id}")).await;
    assert_eq!(read["status"], "READY");
    contract
        .send(
            "PATCH",
            BATCH,
            &format!("{BATCHES}/{batch_id}"),
            json!({"name": "Renamed"}),
        )
        .await;
    contract
        .get(
            "/api/v1/data-collection/batches/{batch_id}/status",
            &format!("{BATCHES}/{batch_id}/status"),
        )
        .await;
    contract
        .get(BATCHES, &format!("{BATCHES}?workspace_id={workspace}"))
        .await;

    // Before publishing.
    let (status, _) = contract
        .call(
            "POST",
            "/api/v1/study-cost-calculator/",
            "/api/v1/study-cost-calculator/",
            Some(json!({"reward": 100, "total_available_places": 4})),
        )
        .await;
    assert_eq!(status, 200);
    contract
        .send(
            "POST",
            "/api/v1/eligibility-count/",
            "/api/v1/eligibility-count/",
            json!({"filters": [{"filter_id": "age", "selected_range": {"lower": 18, "upper": 65}},
                               {"filter_id": "sex", "selected_values": ["1"]}]}),
        )
        .await;
    contract.get("/api/v1/filters/", "/api/v1/filters/").await;
    contract
        .get(
            "/api/v1/filter-sets/",
            &format!("/api/v1/filter-sets/?workspace_id={workspace}"),
        )
        .await;
    contract
        .get(
            "/api/v1/reward-recommendations/",
            &format!("/api/v1/reward-recommendations/?workspace_id={workspace}&currency=GBP"),
        )
        .await;

    // Studies: a draft, edited, published, filled, reviewed; another draft deleted.
    let studies = "/api/v1/studies/";
    let study_template = "/api/v1/studies/{id}/";
    let study = contract
        .send("POST", studies, studies, common::study_body(&batch_id))
        .await;
    let study_id = study["id"].as_str().unwrap().to_owned();
    let study_path = format!("{studies}{study_id}/");
    contract.get(studies, studies).await;
    contract.get(study_template, &study_path).await;
    contract
        .send(
            "PATCH",
            study_template,
            &study_path,
            json!({"internal_name": "Contract"}),
        )
        .await;
    let transition = "/api/v1/studies/{id}/transition/";
    let published = contract
        .send(
            "POST",
            transition,
            &format!("{study_path}transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(published["status"], "AWAITING REVIEW");
    let submissions = contract
        .get(
            "/api/v1/studies/{id}/submissions/",
            &format!("{study_path}submissions/"),
        )
        .await;
    contract
        .get(
            "/api/v1/studies/{id}/submissions/counts/",
            &format!("{study_path}submissions/counts/"),
        )
        .await;
    contract
        .get(
            "/api/v1/submissions/",
            &format!("/api/v1/submissions/?study={study_id}&status=AWAITING_REVIEW&page_size=2"),
        )
        .await;
    let second = submissions["results"][1]["id"].as_str().unwrap();
    contract
        .get(
            "/api/v1/submissions/{id}/",
            &format!("/api/v1/submissions/{second}/"),
        )
        .await;
    contract
        .send(
            "POST",
            "/api/v1/submissions/{id}/transition/",
            &format!("/api/v1/submissions/{second}/transition/"),
            json!({"action": "REJECT", "rejection_category": "LOW_EFFORT",
                   "message": "The answers do not follow the instructions given for the task; please read them again before taking part."}),
        )
        .await;
    // A participant asked to return their submission: refused without a reason, then
    // asked with one.
    let third = submissions["results"][2]["id"].as_str().unwrap();
    let request_return = "/api/v1/submissions/{id}/request-return/";
    let (status, _) = contract
        .call(
            "POST",
            request_return,
            &format!("/api/v1/submissions/{third}/request-return/"),
            Some(json!({"request_return_reasons": []})),
        )
        .await;
    assert_eq!(status, 400);
    let asked = contract
        .send(
            "POST",
            request_return,
            &format!("/api/v1/submissions/{third}/request-return/"),
            json!({"request_return_reasons": ["Did not finish the task"]}),
        )
        .await;
    assert!(asked["return_requested"].is_string(), "{asked}");
    let first = submissions["results"][0]["id"].clone();
    contract
        .send(
            "POST",
            "/api/v1/submissions/bulk-approve/",
            "/api/v1/submissions/bulk-approve/",
            json!({"submission_ids": [first]}),
        )
        .await;
    let (status, _) = contract
        .call(
            "POST",
            transition,
            &format!("{study_path}transition/"),
            Some(json!({"action": "START"})),
        )
        .await;
    assert_eq!(status, 400);
    let other = contract
        .send("POST", studies, studies, common::study_body(&batch_id))
        .await;
    // A test run of the draft: a test participant, then a test copy published to them.
    let tester = contract
        .send(
            "POST",
            "/api/v1/researchers/participants/",
            "/api/v1/researchers/participants/",
            json!({"email": "tester@example.org"}),
        )
        .await;
    assert!(tester["participant_id"].is_string(), "{tester}");
    // The spec gives this POST no request body.
    let (status, test_run) = contract
        .call(
            "POST",
            "/api/v1/studies/{id}/test-study",
            &format!("{studies}{}/test-study", other["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 200, "{test_run}");
    assert!(test_run["study_url"].is_string(), "{test_run}");
    let (status, _) = contract
        .call(
            "DELETE",
            study_template,
            &format!("{studies}{}/", other["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 200);

    // Participant groups: made of the published study's participants, listed, read,
    // renamed, their members read, added and removed, then the group deleted; a second
    // study keeps them out with the blocklist filter.
    let people: Vec<Value> = submissions["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|submission| submission["participant_id"].clone())
        .collect();
    let groups = "/api/v1/participant-groups/";
    let group_template = "/api/v1/participant-groups/{id}/";
    let members_template = "/api/v1/participant-groups/{id}/participants/";
    let (status, group) = contract
        .call(
            "POST",
            groups,
            groups,
            Some(
                json!({"workspace_id": workspace, "name": "Pilot", "description": "Took the pilot",
                        "participant_ids": [people[0]]}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    let group_id = group["id"].as_str().unwrap().to_owned();
    let group_path = format!("{groups}{group_id}/");
    let members_path = format!("{group_path}participants/");
    contract
        .get(
            groups,
            &format!("{groups}?workspace_id={workspace}&active=true"),
        )
        .await;
    contract.get(group_template, &group_path).await;
    contract
        .send(
            "PATCH",
            group_template,
            &group_path,
            json!({"name": "Pilot people"}),
        )
        .await;
    contract
        .send(
            "POST",
            members_template,
            &members_path,
            json!({"participant_ids": [people[1], people[2]]}),
        )
        .await;
    contract
        .send(
            "DELETE",
            members_template,
            &members_path,
            json!({"participant_ids": [people[2]]}),
        )
        .await;
    contract.get(members_template, &members_path).await;

    // Bonuses for the published study's first two participants, set up then paid;
    // messages to one of them, to both, and to the group, then the conversation read.
    let bonus = contract
        .send(
            "POST",
            "/api/v1/submissions/bonus-payments/",
            "/api/v1/submissions/bonus-payments/",
            json!({"study_id": study_id,
                   "csv_bonuses": format!("{},1.50\n{},0.25\n",
                       people[0].as_str().unwrap(), people[1].as_str().unwrap())}),
        )
        .await;
    assert_eq!(bonus["total_amount"], 245, "{bonus}");
    let (status, _) = contract
        .call(
            "POST",
            "/api/v1/bulk-bonus-payments/{id}/pay/",
            &format!(
                "/api/v1/bulk-bonus-payments/{}/pay/",
                bonus["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(status, 202);
    for (template, body) in [
        (
            "/api/v1/messages/",
            json!({"recipient_id": people[0], "study_id": study_id, "body": "Thank you."}),
        ),
        (
            "/api/v1/messages/bulk/",
            json!({"ids": [people[0], people[1]], "study_id": study_id, "body": "A bonus."}),
        ),
        (
            "/api/v1/messages/participant-group/",
            json!({"participant_group_id": group_id, "study_id": study_id, "body": "Hello."}),
        ),
    ] {
        let (status, _) = contract.call("POST", template, template, Some(body)).await;
        assert_eq!(status, 204, "{template}");
    }
    let conversation = contract
        .get(
            "/api/v1/messages/",
            &format!("/api/v1/messages/?user_id={}", people[0].as_str().unwrap()),
        )
        .await;
    assert_eq!(conversation["results"].as_array().unwrap().len(), 3);

    contract
        .get(
            "/api/v1/filters/",
            &format!("/api/v1/filters/?workspace_id={workspace}&page_size=10"),
        )
        .await;
    let mut blocked = common::study_body(&batch_id);
    blocked["filters"] =
        json!([{"filter_id": "participant_group_blocklist", "selected_values": [group_id]}]);
    contract.send("POST", studies, studies, blocked).await;
    contract
        .send(
            "POST",
            "/api/v1/eligibility-count/",
            "/api/v1/eligibility-count/",
            json!({"workspace_id": workspace, "filters": [
                {"filter_id": "participant_group_blocklist", "selected_values": [group_id]}]}),
        )
        .await;
    let (status, _) = contract
        .call("DELETE", group_template, &group_path, None)
        .await;
    assert_eq!(status, 204);

    // Results of the published study.
    let responses = contract
        .get(
            "/api/v1/data-collection/batches/{batch_id}/responses",
            &format!("{BATCHES}/{batch_id}/responses"),
        )
        .await;
    assert!(
        responses["meta"]["count"].as_u64().unwrap() > 0,
        "{responses}"
    );
    contract
        .get(
            "/api/v1/data-collection/batches/{batch_id}/report/",
            &format!("{BATCHES}/{batch_id}/report/"),
        )
        .await;
    let (status, export) = contract
        .call(
            "POST",
            "/api/v1/data-collection/batches/{batch_id}/export",
            &format!("{BATCHES}/{batch_id}/export"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    contract
        .get(
            "/api/v1/data-collection/batches/{batch_id}/export/{export_id}",
            &format!(
                "{BATCHES}/{batch_id}/export/{}",
                export["export_id"].as_str().unwrap()
            ),
        )
        .await;

    // Who took part: the demographic export (CSV) and its usage.
    let export_template = "/api/v1/studies/{id}/demographic-export/";
    contract
        .send(
            "POST",
            export_template,
            &format!("{studies}{study_id}/demographic-export/"),
            json!({}),
        )
        .await;
    let history = contract
        .get(
            "/api/v1/studies/{id}/demographic-export-history/",
            &format!("{studies}{study_id}/demographic-export-history/"),
        )
        .await;
    assert_eq!(history["count"], 1, "{history}");

    // A copy of the batch, and the sunset instructions endpoints, which answer 410 Gone
    // in the standard error shape whatever is sent.
    contract
        .send(
            "POST",
            "/api/v1/data-collection/batches/{batch_id}/duplicate",
            &format!("{BATCHES}/{batch_id}/duplicate"),
            json!({"name": "Copy", "upload_new_dataset": false}),
        )
        .await;
    let instructions_template = "/api/v1/data-collection/batches/{batch_id}/instructions";
    let instructions = format!("{BATCHES}/{batch_id}/instructions");
    let one = json!({"instructions": [{"type": "free_text", "description": "Why?"}]});
    for (method, body) in [
        ("GET", None),
        ("POST", Some(one.clone())),
        ("PUT", Some(one)),
    ] {
        let (status, _) = contract
            .call(method, instructions_template, &instructions, body)
            .await;
        assert_eq!(status, 410, "{method} {instructions}");
    }

    // A new endpoint must be added here too.
    let served: BTreeSet<_> = endpoints()
        .into_iter()
        .map(|endpoint| (endpoint.method.to_owned(), endpoint.path.to_owned()))
        .collect();
    let unchecked: Vec<_> = served.difference(&contract.checked).collect();
    assert!(unchecked.is_empty(), "no body checked for {unchecked:?}");
}

/// Every list is paged, and answers besides `results` only what its schema documents:
/// `meta` where the schema has it, `_links` where the schema has them (filters), and on
/// the classic lists whose schema has neither, nothing else. The keys are taken from the
/// spec itself.
#[tokio::test]
async fn every_list_answers_only_what_its_schema_documents() {
    let api = Api::start().await;
    let batch = api.ready_batch_with(3, Some(common::one_question())).await;
    let (_, study) = api
        .post("/api/v1/studies/", common::study_body(&batch))
        .await;
    let study = study["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("/api/v1/studies/{study}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    let workspace = workspace_id();
    let (_, taken) = api
        .get(&format!("/api/v1/studies/{study}/submissions/"))
        .await;
    let (status, group) = api
        .post(
            "/api/v1/participant-groups/",
            json!({"workspace_id": workspace, "name": "Listed",
                   "participant_ids": [taken["results"][0]["participant_id"]]}),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    let group = group["id"].as_str().unwrap().to_owned();
    let lists = [
        ("/api/v1/workspaces/", "/api/v1/workspaces/".to_owned()),
        (
            "/api/v1/workspaces/{workspace_id}/projects/",
            format!("/api/v1/workspaces/{workspace}/projects/"),
        ),
        ("/api/v1/studies/", "/api/v1/studies/".to_owned()),
        (
            "/api/v1/studies/{id}/submissions/",
            format!("/api/v1/studies/{study}/submissions/"),
        ),
        (
            "/api/v1/submissions/",
            format!("/api/v1/submissions/?study={study}"),
        ),
        (BATCHES, format!("{BATCHES}?workspace_id={workspace}")),
        (
            "/api/v1/data-collection/batches/{batch_id}/responses",
            format!("{BATCHES}/{batch}/responses"),
        ),
        ("/api/v1/filters/", "/api/v1/filters/".to_owned()),
        (
            "/api/v1/filter-sets/",
            format!("/api/v1/filter-sets/?workspace_id={workspace}"),
        ),
        (
            "/api/v1/participant-groups/",
            format!("/api/v1/participant-groups/?workspace_id={workspace}"),
        ),
        (
            "/api/v1/participant-groups/{id}/participants/",
            format!("/api/v1/participant-groups/{group}/participants/"),
        ),
    ];
    for (template, path) in lists {
        let (status, answer) = api.get(&path).await;
        assert_eq!(status, 200, "{path}: {answer}");
        let documented = documented_keys(template);
        let answered: BTreeSet<String> = answer.as_object().unwrap().keys().cloned().collect();
        assert_eq!(answered, documented, "{path}");
        // Past the last page: 404 "Invalid page.", in the standard error shape.
        let joiner = if path.contains('?') { '&' } else { '?' };
        let (status, body) = api.get(&format!("{path}{joiner}page=99")).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"]["detail"], "Invalid page.");
    }
    // The filters' next link leads to the rest.
    let (_, first) = api.get("/api/v1/filters/").await;
    let next = first["_links"]["next"]["href"].as_str().unwrap();
    let (_, second) = api
        .get(next.strip_prefix(&api.server.base_url()).unwrap())
        .await;
    let read =
        first["results"].as_array().unwrap().len() + second["results"].as_array().unwrap().len();
    assert_eq!(first["meta"]["count"], read);
    assert!(second["_links"]["next"]["href"].is_null());
}

/// The top-level keys of an operation's 200 schema.
fn documented_keys(template: &str) -> BTreeSet<String> {
    let schema = resolve(
        &SPEC["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
    );
    schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{template} has a schema with properties"))
        .keys()
        .cloned()
        .collect()
}

/// Refusals fit the spec too: the documented 400 and 422 shapes, and the standard
/// `Error` for 401, 404 and 405.
#[tokio::test]
async fn error_bodies_fit_the_spec() {
    let mut contract = Contract::start().await;
    let workspace = workspace_id();
    // A 400 for a body that fits the request schema but not the server's rules.
    let (status, _) = contract
        .call(
            "POST",
            DATASETS,
            DATASETS,
            Some(json!({"name": "", "workspace_id": "nope"})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = contract
        .call(
            "POST",
            BATCHES,
            BATCHES,
            Some(json!({"name": "Bad", "workspace_id": workspace, "task_details": task_details(),
                        "batch_items": [{"rows": [{"columns": [{"items": [
                            {"type": "multiple_choice", "description": "No options", "answer_limit": 1,
                             "options": []}]}]}]}]})),
        )
        .await;
    assert!(matches!(status, 400 | 422), "{status}");
    let unknown = uuid::Uuid::now_v7();
    let (status, _) = contract
        .call("GET", BATCH, &format!("{BATCHES}/{unknown}"), None)
        .await;
    assert_eq!(status, 404);
    let (status, _) = contract
        .call("GET", DATASET, &format!("{DATASETS}/{unknown}"), None)
        .await;
    assert_eq!(status, 404);
    // A page past the end of a list: 404 "Invalid page.".
    let (status, body) = contract
        .call(
            "GET",
            "/api/v1/workspaces/",
            "/api/v1/workspaces/?page=9",
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["detail"], "Invalid page.");
    // The bonus and message refusals, whose documented shapes differ (`Error` and the
    // bare `ErrorDetail` quirk).
    let (status, _) = contract
        .call(
            "POST",
            "/api/v1/submissions/bonus-payments/",
            "/api/v1/submissions/bonus-payments/",
            Some(json!({"study_id": "64395e9c2332b8a59a65d51e", "csv_bonuses": "x,1.00"})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = contract
        .call(
            "POST",
            "/api/v1/bulk-bonus-payments/{id}/pay/",
            "/api/v1/bulk-bonus-payments/64395e9c2332b8a59a65d51e/pay/",
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = contract
        .call(
            "POST",
            "/api/v1/messages/",
            "/api/v1/messages/",
            Some(json!({"recipient_id": "x", "study_id": "y", "body": ""})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = contract
        .call("GET", "/api/v1/messages/", "/api/v1/messages/", None)
        .await;
    assert_eq!(status, 400);
    let (status, body) = contract.api.get_without_token("/api/v1/users/me/").await;
    assert_eq!(status, 401);
    assert!(problems("Error", &body).is_empty(), "{body}");
}

/// The request examples the spec gives (`example`, `examples`, on the media type or its
/// schema) for a route the server serves: each is accepted with a 2xx or a status the
/// spec documents for it. The spec snapshot of 1 Aug 2026 has none for these routes, so
/// today this guards the future; the requests of the test above all fit the request
/// schemas, which is the check that bites now.
#[tokio::test]
async fn every_request_example_in_the_spec_is_accepted() {
    let api = Api::start().await;
    let dataset = api.ready_v3_dataset("reviews.csv").await;
    let (_, batch) = api
        .post(
            BATCHES,
            json!({"name": "Examples", "workspace_id": workspace_id(), "task_details": task_details(),
                   "dataset_id": dataset}),
        )
        .await;
    let batch = batch["id"].as_str().unwrap().to_owned();
    for endpoint in endpoints() {
        let operation = operation(&endpoint).unwrap();
        let Some(media) = operation
            .get("requestBody")
            .map(|body| &body["content"]["application/json"])
        else {
            continue;
        };
        for example in request_examples(media) {
            let path = endpoint
                .path
                .replace("{workspace_id}", &workspace_id())
                .replace("{dataset_id}", &dataset)
                .replace("{batch_id}", &batch);
            let (status, answer) = api.call(endpoint.method, &path, Some(&example)).await;
            let documented = operation["responses"].get(status.to_string()).is_some();
            assert!(
                (200..300).contains(&status) || documented,
                "{} {} refused the spec's example with {status}: {example}\n{answer}",
                endpoint.method,
                endpoint.path
            );
        }
    }
}

/// A media type's examples, wherever OpenAPI 3.1 lets the spec put them.
fn request_examples(media: &'static Value) -> Vec<Value> {
    let mut found = Vec::new();
    if let Some(example) = media.get("example") {
        found.push(example.clone());
    }
    for example in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|examples| examples.values())
    {
        if let Some(value) = example.get("value") {
            found.push(value.clone());
        }
    }
    let schema = resolve(&media["schema"]);
    if let Some(example) = schema.get("example") {
        found.push(example.clone());
    }
    found.extend(
        schema
            .get("examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .cloned(),
    );
    found
}

/// Follows a `$ref` like `#/components/schemas/Name` in the spec as published.
fn resolve(schema: &'static Value) -> &'static Value {
    match schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
    {
        Some(name) => resolve(&SPEC["components"]["schemas"][name]),
        None => schema,
    }
}

#[test]
fn request_examples_are_found_wherever_the_spec_may_put_them() {
    let media: &'static Value = Box::leak(Box::new(json!({
        "example": {"a": 1},
        "examples": {"one": {"value": {"b": 2}}, "described": {"summary": "no value"}},
        "schema": {"type": "object", "examples": [{"c": 3}]}
    })));
    assert_eq!(
        request_examples(media),
        vec![json!({"a": 1}), json!({"b": 2}), json!({"c": 3})]
    );
}

#[test]
fn the_validator_follows_refs_and_catches_what_it_should() {
    let upload = "AI_Task_Builder_getDatasetUploadUrl_Response_201";
    let missing = problems(
        upload,
        &json!({"dataset_id": "x", "upload_url": "u", "http_method": "PUT"}),
    );
    assert!(
        missing
            .iter()
            .any(|problem| problem.contains("content_type")),
        "{missing:?}"
    );
    assert!(
        missing.iter().any(|problem| problem.contains("expires_at")),
        "{missing:?}"
    );
    let wrong_method = problems(
        upload,
        &json!({"dataset_id": "0192a3b5-e8f9-7a0b-8c1d-2e3f4a5b6c7d", "upload_url": "u", "http_method": "POST", "content_type": "c",
                "expires_at": "2026-01-01T00:00:00Z"}),
    );
    assert_eq!(wrong_method.len(), 1, "{wrong_method:?}");
    let dataset = json!({"id": "0192a3b5-e8f9-7a0b-8c1d-2e3f4a5b6c7d", "name": "n",
                         "created_at": "2026-01-01T00:00:00Z", "created_by": "b", "workspace_id": "w",
                         "total_datapoint_count": 0, "schema_version": "3"});
    assert_eq!(
        problems("AITaskBuilderDataset", &dataset),
        Vec::<String>::new()
    );
    let mut wrong_version = dataset.clone();
    wrong_version["schema_version"] = json!(3);
    let found = problems("AITaskBuilderDataset", &wrong_version);
    assert!(found[0].contains("schema_version"), "{found:?}");
    // Formats are asserted: a timestamp that is not RFC 3339 is caught.
    let mut bad_time = dataset;
    bad_time["created_at"] = json!("yesterday");
    assert!(!problems("AITaskBuilderDataset", &bad_time).is_empty());
    // A list response follows its ref into the item schema.
    let list = problems(
        &schema_name("get", BATCHES, "200"),
        &json!({"results": [{"id": 3}], "meta": {"count": 1}}),
    );
    assert!(
        list.iter().any(|problem| problem.contains("/results/0")),
        "{list:?}"
    );
}

#[test]
fn every_answer_a_test_reads_is_checked_against_its_route() {
    use common::spec::{check_answer, endpoint_for};
    assert_eq!(
        endpoint_for("POST", "/api/v1/submissions/bulk-approve/")
            .unwrap()
            .path,
        "/api/v1/submissions/bulk-approve/",
        "a literal segment wins over a parameter"
    );
    assert_eq!(
        endpoint_for("GET", "/api/v1/studies/64395e9c2332b8a59a65d51e/")
            .unwrap()
            .path,
        "/api/v1/studies/{id}/"
    );
    assert!(endpoint_for("GET", "/practice-storage/a.csv").is_none());
    // Fitting answers pass, including a standard error on an unlisted status.
    check_answer(
        "GET",
        "/api/v1/users/me/",
        200,
        &json!({"id": "a", "email": "e@x.org"}),
    );
    let not_found = json!({"error": {"status": 404, "error_code": 140_400, "title": "Not found", "detail": "Study not found."}});
    check_answer("GET", "/api/v1/studies/x/", 404, &not_found);
    let misfits = [
        ("GET", "/api/v1/users/me/", 200, json!({"id": 1})),
        ("GET", "/api/v1/studies/x/", 404, json!({"message": "gone"})),
        (
            "POST",
            "/api/v1/studies/",
            400,
            json!({"error": {"status": "400"}}),
        ),
    ];
    for (method, path, status, body) in misfits {
        let caught = std::panic::catch_unwind(|| check_answer(method, path, status, &body));
        assert!(
            caught.is_err(),
            "{method} {path} {status} {body} should not fit"
        );
    }
}
