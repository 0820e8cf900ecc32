//! Messages over real HTTP: to one participant, to several and to a participant group,
//! each kept and listed in the conversation with each recipient; blank bodies, unknown
//! recipients, studies and groups refused, with nobody messaged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use batchdesk_practice::Researcher;
use common::{Api, assert_error, one_question, study_body, workspace_id};
use serde_json::{Value, json};

const MESSAGES: &str = "/api/v1/messages/";
const BULK: &str = "/api/v1/messages/bulk/";
const GROUP: &str = "/api/v1/messages/participant-group/";
const STRANGER: &str = "64395e9c2332b8a59a65d51e";

/// A published, filled study's id and its participants' ids.
async fn filled_study(api: &Api) -> (String, Vec<String>) {
    let batch = api.ready_batch_with(3, Some(one_question())).await;
    let (_, study) = api.post("/api/v1/studies/", study_body(&batch)).await;
    let id = study["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("/api/v1/studies/{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200);
    let people = api
        .get_all(&format!("/api/v1/studies/{id}/submissions/"))
        .await
        .iter()
        .map(|submission| submission["participant_id"].as_str().unwrap().to_owned())
        .collect();
    (id, people)
}

async fn group_of(api: &Api, members: &[&str]) -> String {
    let (status, group) = api
        .post(
            "/api/v1/participant-groups/",
            json!({"workspace_id": workspace_id(), "name": "Messaged", "participant_ids": members}),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    group["id"].as_str().unwrap().to_owned()
}

async fn conversation(api: &Api, user_id: &str) -> Vec<Value> {
    let (status, answer) = api.get(&format!("{MESSAGES}?user_id={user_id}")).await;
    assert_eq!(status, 200, "{answer}");
    answer["results"].as_array().unwrap().clone()
}

fn bodies(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|message| message["body"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn messages_to_one_several_and_a_group_are_kept_and_listed() {
    let api = Api::start().await;
    let (study, people) = filled_study(&api).await;
    let group = group_of(&api, &[&people[2], &people[3]]).await;

    let sent = [
        (
            MESSAGES,
            json!({"recipient_id": people[0], "study_id": study, "body": "Thank you!"}),
        ),
        (
            BULK,
            json!({"ids": [people[0], people[1], people[0]], "study_id": study, "body": "A bonus is on its way."}),
        ),
        (
            GROUP,
            json!({"participant_group_id": group, "body": "A new study opens tomorrow."}),
        ),
    ];
    for (path, body) in sent {
        let (status, answer) = api.post(path, body).await;
        assert_eq!(status, 204, "{path}: {answer}");
        assert!(answer.is_null(), "a 204 has no body: {answer}");
    }

    let researcher = Researcher::default().id;
    let first = conversation(&api, &people[0]).await;
    assert_eq!(bodies(&first), ["Thank you!", "A bonus is on its way."]);
    for message in &first {
        assert_eq!(message["sender_id"], researcher.as_str());
        assert_eq!(message["data"]["study_id"], study.as_str());
        assert_eq!(message["type"], "message");
        assert_eq!(message["channel_id"], first[0]["channel_id"]);
    }
    assert_ne!(first[0]["id"], first[1]["id"]);
    let second = conversation(&api, &people[1]).await;
    assert_eq!(bodies(&second), ["A bonus is on its way."]);
    assert_ne!(second[0]["channel_id"], first[0]["channel_id"]);
    for member in [&people[2], &people[3]] {
        let received = conversation(&api, member).await;
        assert_eq!(bodies(&received), ["A new study opens tomorrow."]);
        assert!(
            received[0]["data"].get("study_id").is_none(),
            "{received:?}"
        );
    }
    assert!(conversation(&api, &people[4]).await.is_empty());

    // Everything since a moment, and without the researcher's own.
    let (status, since) = api
        .get(&format!("{MESSAGES}?created_after=2020-01-01T00:00:00Z"))
        .await;
    assert_eq!(status, 200, "{since}");
    assert_eq!(since["results"].as_array().unwrap().len(), 5);
    let (_, later) = api
        .get(&format!("{MESSAGES}?created_after=2999-01-01T00:00:00Z"))
        .await;
    assert_eq!(later["results"], json!([]));
    let (_, excluded) = api
        .get(&format!(
            "{MESSAGES}?user_id={}&excluded_sender_ids={researcher}",
            people[0]
        ))
        .await;
    assert_eq!(excluded["results"], json!([]));
}

#[tokio::test]
async fn blank_bodies_and_unknown_recipients_are_refused_and_nobody_is_messaged() {
    let api = Api::start().await;
    let (study, people) = filled_study(&api).await;
    let refused = |body: &Value, field: &str| {
        assert!(
            body["error"]["detail"][field].is_array(),
            "{field} is named: {body}"
        );
    };
    for blank in ["", "   "] {
        let (status, body) = api
            .post(
                MESSAGES,
                json!({"recipient_id": people[0], "study_id": study, "body": blank}),
            )
            .await;
        assert_error(status, &body, 400);
        refused(&body, "body");
    }
    let (status, body) = api
        .post(
            MESSAGES,
            json!({"recipient_id": STRANGER, "study_id": study, "body": "Hello"}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "recipient_id");
    let (status, body) = api
        .post(
            MESSAGES,
            json!({"recipient_id": people[0], "study_id": STRANGER, "body": "Hello"}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "study_id");
    let (status, body) = api
        .post(
            MESSAGES,
            json!({"recipient_id": people[0], "body": "Hello"}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "study_id");

    // One unknown among several: named, and nobody gets the message.
    let (status, body) = api
        .post(
            BULK,
            json!({"ids": [people[0], STRANGER], "study_id": study, "body": "Hello"}),
        )
        .await;
    assert_error(status, &body, 400);
    assert!(
        body["error"]["detail"]["ids"][0]
            .as_str()
            .unwrap()
            .contains(STRANGER),
        "{body}"
    );
    for empty in [json!([]), json!("not a list")] {
        let (status, body) = api
            .post(
                BULK,
                json!({"ids": empty, "study_id": study, "body": "Hello"}),
            )
            .await;
        assert_error(status, &body, 400);
        refused(&body, "ids");
    }
    let (status, body) = api
        .post(
            BULK,
            json!({"ids": [people[0]], "study_id": study, "body": ""}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "body");

    // Groups: unknown, without members, deleted.
    let (status, body) = api
        .post(
            GROUP,
            json!({"participant_group_id": STRANGER, "body": "Hello"}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "participant_group_id");
    let empty = group_of(&api, &[]).await;
    let (status, body) = api
        .post(
            GROUP,
            json!({"participant_group_id": empty, "body": "Hello"}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "participant_group_id");
    let deleted = group_of(&api, &[&people[0]]).await;
    let (status, _) = api
        .call(
            "DELETE",
            &format!("/api/v1/participant-groups/{deleted}/"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = api
        .post(
            GROUP,
            json!({"participant_group_id": deleted, "body": "Hello"}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "participant_group_id");
    let (status, body) = api
        .post(
            GROUP,
            json!({"participant_group_id": deleted, "body": " ", "study_id": STRANGER}),
        )
        .await;
    assert_error(status, &body, 400);
    refused(&body, "body");
    refused(&body, "study_id");

    assert!(conversation(&api, &people[0]).await.is_empty());

    // The list needs someone or a moment; a moment that reads; at most 10 exclusions.
    let (status, body) = api.get(MESSAGES).await;
    assert_error(status, &body, 400);
    let (status, body) = api
        .get(&format!("{MESSAGES}?created_after=yesterday"))
        .await;
    assert_error(status, &body, 400);
    refused(&body, "created_after");
    let eleven = [STRANGER; 11].join(",");
    let (status, body) = api
        .get(&format!(
            "{MESSAGES}?user_id={}&excluded_sender_ids={eleven}",
            people[0]
        ))
        .await;
    assert_error(status, &body, 400);
    refused(&body, "excluded_sender_ids");
}
