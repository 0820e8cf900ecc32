//! Workspaces, balance and projects over real HTTP.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Api, assert_error, workspace_id};
use serde_json::json;

#[tokio::test]
async fn the_researcher_has_one_practice_workspace() {
    let api = Api::start().await;
    let (status, list) = api.get("/api/v1/workspaces/").await;
    assert_eq!(status, 200);
    let workspaces = list["results"].as_array().unwrap();
    assert_eq!(workspaces.len(), 1);
    assert!(
        list.get("meta").is_none() && list.get("_links").is_none(),
        "the spec documents only results here: {list}"
    );
    let workspace = &workspaces[0];
    assert_eq!(workspace["id"], workspace_id());
    assert_eq!(workspace["id"].as_str().unwrap().len(), 24);
    assert_eq!(workspace["title"], "Practice workspace");
    assert_eq!(
        workspace["users"][0]["email"],
        "practice.researcher@example.org"
    );

    let (status, detail) = api
        .get(&format!("/api/v1/workspaces/{}/", workspace_id()))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["title"], "Practice workspace");
    assert_eq!(detail["projects"].as_array().unwrap().len(), 1);
    assert!(detail["wallet"].is_string());
}

#[tokio::test]
async fn workspaces_are_made_with_201_and_listed_a_few_to_a_page() {
    let api = Api::start().await;
    let (status, made) = api
        .post(
            "/api/v1/workspaces/",
            json!({"title": "Lab 1", "currency_code": "USD", "naivety_distribution_rate": 0.5}),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["title"], "Lab 1");
    assert_eq!(made["naivety_distribution_rate"], 0.5);
    assert_eq!(made["projects"], json!([]));
    let (_, balance) = api
        .get(&format!(
            "/api/v1/workspaces/{}/balance/",
            made["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(balance["currency_code"], "USD");
    assert_eq!(balance["total_balance"], 0);
    for number in 2..=11 {
        let (status, _) = api
            .post(
                "/api/v1/workspaces/",
                json!({"title": format!("Lab {number}")}),
            )
            .await;
        assert_eq!(status, 201);
    }

    // Twelve in all: three to a page by default, up to ten when asked.
    let page = |query: &'static str| {
        let api = &api;
        async move {
            let (status, body) = api.get(&format!("/api/v1/workspaces/{query}")).await;
            assert_eq!(status, 200, "{query}: {body}");
            body["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|workspace| workspace["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(page("").await, ["Practice workspace", "Lab 1", "Lab 2"]);
    assert_eq!(page("?page=2").await, ["Lab 3", "Lab 4", "Lab 5"]);
    assert_eq!(page("?page=4").await, ["Lab 9", "Lab 10", "Lab 11"]);
    assert_eq!(page("?page_size=5&page=3").await, ["Lab 10", "Lab 11"]);
    assert_eq!(page("?page_size=100").await.len(), 10, "capped");
    assert_eq!(page("?page_size=0").await.len(), 3, "ignored");
    assert_eq!(page("?page=last").await, ["Lab 9", "Lab 10", "Lab 11"]);
    for invalid in ["0", "5", "x"] {
        let (status, body) = api
            .get(&format!("/api/v1/workspaces/?page={invalid}"))
            .await;
        assert_error(status, &body, 404);
        assert_eq!(body["error"]["detail"], "Invalid page.");
    }
    assert_eq!(api.get_all("/api/v1/workspaces/").await.len(), 12);

    let (status, body) = api
        .post("/api/v1/workspaces/", json!({"currency_code": "EUR"}))
        .await;
    assert_error(status, &body, 400);
    let detail = body["error"]["detail"].as_object().unwrap();
    assert!(detail.contains_key("title") && detail.contains_key("currency_code"));
}

#[tokio::test]
async fn the_balance_is_in_minor_units_of_gbp() {
    let api = Api::start().await;
    let (status, balance) = api
        .get(&format!("/api/v1/workspaces/{}/balance/", workspace_id()))
        .await;
    assert_eq!(status, 200);
    assert_eq!(balance["currency_code"], "GBP");
    assert_eq!(balance["total_balance"], 100_000);
    assert_eq!(balance["available_balance"], 100_000);
    let parts = &balance["balance_breakdown"];
    let sum = ["rewards", "fees", "vat"]
        .iter()
        .map(|part| parts[part].as_i64().unwrap())
        .sum::<i64>();
    assert_eq!(sum, 100_000, "the breakdown adds up to the total");
}

#[tokio::test]
async fn projects_are_listed_and_created_with_201() {
    let api = Api::start().await;
    let path = format!("/api/v1/workspaces/{}/projects/", workspace_id());
    let (status, list) = api.get(&path).await;
    assert_eq!(status, 200);
    assert_eq!(list["results"][0]["title"], "Practice project");
    assert_eq!(list["results"][0]["type"], "PRIVATE");

    let (status, project) = api
        .post(
            &path,
            json!({"title": "Sentiment pilot", "description": "First try"}),
        )
        .await;
    assert_eq!(status, 201, "{project}");
    assert_eq!(project["title"], "Sentiment pilot");
    assert_eq!(project["workspace"], workspace_id());
    assert_eq!(project["type"], "PRIVATE");
    assert_eq!(project["id"].as_str().unwrap().len(), 24);

    let list = api.get_all(&path).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["id"], project["id"]);

    let (status, public) = api
        .post(
            &path,
            json!({"title": "Open", "type": "PUBLIC", "public_details": {"title": "Open study"}}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(public["public_details"]["status"], "ENABLED");
    assert_eq!(public["public_details"]["title"], "Open study");
}

#[tokio::test]
async fn a_bad_project_body_is_a_400_naming_the_fields() {
    let api = Api::start().await;
    let path = format!("/api/v1/workspaces/{}/projects/", workspace_id());
    let (status, body) = api.post(&path, json!({})).await;
    assert_error(status, &body, 400);
    assert!(body["error"]["detail"]["title"][0].is_string(), "{body}");

    let (status, body) = api
        .post(
            &path,
            json!({"title": " ", "type": "SECRET", "naivety_distribution_rate": 3}),
        )
        .await;
    assert_error(status, &body, 400);
    let detail = body["error"]["detail"].as_object().unwrap();
    for field in ["title", "type", "naivety_distribution_rate"] {
        assert!(detail.contains_key(field), "{body}");
    }

    let (status, body) = api.post_raw(&path, "{not json").await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn unknown_workspaces_are_404_on_every_account_endpoint() {
    let api = Api::start().await;
    let unknown = "000000000000000000000000";
    for path in [
        format!("/api/v1/workspaces/{unknown}/"),
        format!("/api/v1/workspaces/{unknown}/balance/"),
        format!("/api/v1/workspaces/{unknown}/projects/"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_error(status, &body, 404);
    }
    let (status, body) = api
        .post(
            &format!("/api/v1/workspaces/{unknown}/projects/"),
            json!({"title": "x"}),
        )
        .await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn account_endpoints_need_the_token() {
    let api = Api::start().await;
    for path in [
        "/api/v1/workspaces/".to_owned(),
        format!("/api/v1/workspaces/{}/balance/", workspace_id()),
        format!("/api/v1/workspaces/{}/projects/", workspace_id()),
    ] {
        let (status, body) = api.get_without_token(&path).await;
        assert_error(status, &body, 401);
    }
    let (status, body) = api
        .post_without_token(
            &format!("/api/v1/workspaces/{}/projects/", workspace_id()),
            json!({"title": "x"}),
        )
        .await;
    assert_error(status, &body, 401);
}

#[tokio::test]
async fn paths_are_exact_and_wrong_methods_are_405() {
    let api = Api::start().await;
    // Classic endpoints keep their trailing slash; without it there is no such route.
    let (status, body) = api.get("/api/v1/workspaces").await;
    assert_error(status, &body, 404);
    let (status, body) = api.call("DELETE", "/api/v1/workspaces/", None).await;
    assert_error(status, &body, 405);
}
