//! Participant groups over real HTTP: made, listed, read, renamed, their members read,
//! added and removed, deleted (softly); the refusals; the allowlist and blocklist filters
//! they make, on studies and in the eligibility count; and the stable pool of simulated
//! participants those filters act on, with the time each takes.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use batchdesk_practice::{PracticeConfig, PracticeWorkspace};
use common::{Api, assert_error, study_body, workspace_id};
use serde_json::{Value, json};

const GROUPS: &str = "/api/v1/participant-groups/";
const STUDIES: &str = "/api/v1/studies/";
const ALLOWLIST: &str = "participant_group_allowlist";
const BLOCKLIST: &str = "participant_group_blocklist";

/// A server whose pool has 40 regulars, so that studies of a few dozen places must
/// share people.
async fn small_pool(pace: Duration) -> Api {
    Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: pace,
        regular_participants: 40,
        ..PracticeConfig::default()
    })
    .await
}

/// A READY batch of one task group, so that a study's places are its annotators.
async fn one_group_batch(api: &Api) -> String {
    api.ready_batch(24).await
}

/// A draft study of `places` places on `batch` with `filters`; its id.
async fn draft(api: &Api, batch: &str, places: u64, filters: Value) -> String {
    let mut body = study_body(batch);
    body["data_collection_metadata"]["annotators_per_task"] = json!(places);
    body["filters"] = filters;
    let (status, study) = api.post(STUDIES, body).await;
    assert_eq!(status, 201, "{study}");
    assert_eq!(study["total_available_places"], places);
    study["id"].as_str().unwrap().to_owned()
}

async fn publish(api: &Api, study: &str) {
    let (status, answer) = api
        .post(
            &format!("{STUDIES}{study}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}

async fn submissions(api: &Api, study: &str) -> Vec<Value> {
    api.get_all(&format!("{STUDIES}{study}/submissions/")).await
}

/// The participants of a study's submissions, each once (a second place for anyone
/// fails the test).
async fn participants(api: &Api, study: &str) -> HashSet<String> {
    let list = submissions(api, study).await;
    let people: HashSet<String> = list
        .iter()
        .map(|submission| submission["participant_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(people.len(), list.len(), "one place per person: {list:?}");
    people
}

/// A study of `places` places with `filters`, published; its id.
async fn published(api: &Api, places: u64, filters: Value) -> String {
    let batch = one_group_batch(api).await;
    let study = draft(api, &batch, places, filters).await;
    publish(api, &study).await;
    study
}

async fn create_group(api: &Api, name: &str, members: &HashSet<String>) -> String {
    let (status, group) = api
        .post(
            GROUPS,
            json!({"workspace_id": workspace_id(), "name": name, "participant_ids": members}),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    assert_eq!(group["participant_count"], members.len());
    group["id"].as_str().unwrap().to_owned()
}

fn group_filter(filter_id: &str, group: &str) -> Value {
    json!([{"filter_id": filter_id, "selected_values": [group]}])
}

async fn study_status(api: &Api, study: &str) -> Value {
    let (status, body) = api.get(&format!("{STUDIES}{study}/")).await;
    assert_eq!(status, 200, "{body}");
    body
}

// --- the groups themselves ---------------------------------------------------------------

#[tokio::test]
async fn a_group_is_made_read_renamed_and_its_members_changed() {
    let api = Api::start().await;
    let people: Vec<String> = participants(&api, &published(&api, 4, json!([])).await)
        .await
        .into_iter()
        .collect();
    let (status, group) = api
        .post(
            GROUPS,
            json!({"workspace_id": workspace_id(), "name": "Pilot", "description": "The pilot's people",
                   "participant_ids": [people[0], people[1], people[0]]}),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    assert_eq!(group["name"], "Pilot");
    assert_eq!(group["description"], "The pilot's people");
    assert_eq!(group["workspace_id"], workspace_id());
    assert_eq!(group["participant_count"], 2, "each person once");
    assert_eq!(group["is_deleted"], false);
    let id = group["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 24);
    let path = format!("{GROUPS}{id}/");
    let members = format!("{path}participants/");

    let (status, read) = api.get(&path).await;
    assert_eq!((status, &read), (200, &group));
    let listed = api
        .get_all(&format!("{GROUPS}?workspace_id={}", workspace_id()))
        .await;
    assert_eq!(listed, std::slice::from_ref(&group));

    let (status, renamed) = api
        .patch(&path, json!({"name": "Pilot participants"}))
        .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["name"], "Pilot participants");
    assert_eq!(renamed["participant_count"], 2, "members untouched");

    // Adding ignores those already in; removing ignores those not in.
    let (status, now) = api
        .post(
            &members,
            json!({"participant_ids": [people[1], people[2], people[3]]}),
        )
        .await;
    assert_eq!(status, 200, "{now}");
    let ids = |answer: &Value| -> Vec<String> {
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|member| member["participant_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&now), people[..4]);
    assert!(now["results"][0]["datetime_created"].is_string(), "{now}");
    let (status, now) = api
        .call(
            "DELETE",
            &members,
            Some(&json!({"participant_ids": [people[0], "0123456789abcdef01234567"]})),
        )
        .await;
    assert_eq!(status, 200, "{now}");
    assert_eq!(ids(&now), people[1..4]);
    let listed: Vec<String> = api
        .get_all(&members)
        .await
        .iter()
        .map(|member| member["participant_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, ids(&now), "read over pages");

    // A PATCH of participant_ids replaces the members.
    let (status, replaced) = api
        .patch(&path, json!({"participant_ids": [people[0]]}))
        .await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["participant_count"], 1);
    assert_eq!(api.get_all(&members).await.len(), 1);
}

#[tokio::test]
async fn a_deleted_group_reads_as_deleted_and_can_no_longer_change() {
    let api = Api::start().await;
    let people = participants(&api, &published(&api, 2, json!([])).await).await;
    let id = create_group(&api, "Gone soon", &people).await;
    let keep = create_group(&api, "Kept", &HashSet::new()).await;
    let path = format!("{GROUPS}{id}/");
    let (status, body) = api.call("DELETE", &path, None).await;
    assert_eq!(status, 204, "{body}");
    assert!(body.is_null(), "a 204 has no body: {body}");

    let (status, group) = api.get(&path).await;
    assert_eq!(status, 200, "{group}");
    assert_eq!(group["is_deleted"], true);
    let listed = |active: &'static str| {
        let api = &api;
        async move {
            api.get_all(&format!(
                "{GROUPS}?workspace_id={}&active={active}",
                workspace_id()
            ))
            .await
            .iter()
            .map(|group| group["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed("true").await, [keep]);
    assert_eq!(listed("false").await, std::slice::from_ref(&id));
    let all = api
        .get_all(&format!("{GROUPS}?workspace_id={}", workspace_id()))
        .await;
    assert_eq!(all.len(), 2);

    let one: Vec<&String> = people.iter().take(1).collect();
    for (method, target, body) in [
        ("DELETE", path.clone(), None),
        ("PATCH", path.clone(), Some(json!({"name": "Back"}))),
        ("GET", format!("{path}participants/"), None),
        (
            "POST",
            format!("{path}participants/"),
            Some(json!({"participant_ids": one})),
        ),
        (
            "DELETE",
            format!("{path}participants/"),
            Some(json!({"participant_ids": one})),
        ),
    ] {
        let (status, answer) = api.call(method, &target, body.as_ref()).await;
        assert_error(status, &answer, 404);
    }
    let (status, answer) = api.get(&format!("{GROUPS}0123456789abcdef01234567/")).await;
    assert_error(status, &answer, 404);
}

#[tokio::test]
async fn bad_group_requests_are_400_with_field_detail() {
    let api = Api::start().await;
    let someone: Vec<String> = participants(&api, &published(&api, 1, json!([])).await)
        .await
        .into_iter()
        .collect();
    let workspace = workspace_id();
    let other_workspace = "0123456789abcdef01234567";
    let cases = [
        (json!({"workspace_id": workspace}), "name"),
        (json!({"workspace_id": workspace, "name": "  "}), "name"),
        (json!({"name": "Nowhere"}), "workspace_id"),
        (
            json!({"name": "Elsewhere", "workspace_id": other_workspace}),
            "workspace_id",
        ),
        (
            json!({"name": "Both", "workspace_id": workspace, "organisation_id": other_workspace}),
            "organisation_id",
        ),
        (
            json!({"name": "Organisation", "organisation_id": other_workspace}),
            "organisation_id",
        ),
        (
            json!({"name": "Bad ids", "workspace_id": workspace, "participant_ids": ["nope"]}),
            "participant_ids",
        ),
        (
            json!({"name": "Strangers", "workspace_id": workspace,
                   "participant_ids": ["0123456789abcdef01234567"]}),
            "participant_ids",
        ),
        (
            json!({"name": "Not a list", "workspace_id": workspace, "participant_ids": someone[0]}),
            "participant_ids",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = api.post(GROUPS, body.clone()).await;
        assert_error(status, &answer, 400);
        assert!(
            answer["error"]["detail"][field].is_array(),
            "{body}: {answer}"
        );
    }
    assert!(
        api.get_all(&format!("{GROUPS}?workspace_id={workspace}"))
            .await
            .is_empty(),
        "nothing was made"
    );

    // The list needs its workspace (or project), and `active` is true or false.
    for query in [
        String::new(),
        format!("?workspace_id={other_workspace}"),
        format!("?workspace_id={workspace}&active=yes"),
        format!(
            "?workspace_id={workspace}&project_id={}",
            PracticeWorkspace::default().default_project_id
        ),
    ] {
        let (status, answer) = api.get(&format!("{GROUPS}{query}")).await;
        assert_error(status, &answer, 400);
    }
    let (status, by_project) = api
        .get(&format!(
            "{GROUPS}?project_id={}",
            PracticeWorkspace::default().default_project_id
        ))
        .await;
    assert_eq!(status, 200, "{by_project}");

    let id = create_group(&api, "Real", &HashSet::new()).await;
    let path = format!("{GROUPS}{id}/");
    for body in [
        json!({"description": "Not changeable"}),
        json!({"name": ""}),
        json!({"participant_ids": ["0123456789abcdef01234567"]}),
    ] {
        let (status, answer) = api.patch(&path, body.clone()).await;
        assert_error(status, &answer, 400);
        assert!(answer["error"]["detail"].is_object(), "{body}: {answer}");
    }
    for body in [json!({}), json!({"participant_ids": []})] {
        let (status, answer) = api.post(&format!("{path}participants/"), body).await;
        assert_error(status, &answer, 400);
    }
}

#[tokio::test]
async fn groups_survive_a_restart() {
    let dir = batchdesk_test_support::temp_folder();
    let config = || PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        state_dir: Some(dir.path().to_owned()),
        ..PracticeConfig::default()
    };
    let api = Api::with(config()).await;
    let people = participants(&api, &published(&api, 3, json!([])).await).await;
    let id = create_group(&api, "Kept", &people).await;
    let (_, before) = api.get(&format!("{GROUPS}{id}/")).await;
    api.server.shutdown().await;
    let api = Api::with(config()).await;
    let (status, after) = api.get(&format!("{GROUPS}{id}/")).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after, before);
}

// --- group filters -------------------------------------------------------------------------

#[tokio::test]
async fn the_workspaces_groups_are_offered_as_allowlist_and_blocklist_filters() {
    let api = Api::start().await;
    let live = create_group(&api, "Pilot", &HashSet::new()).await;
    let gone = create_group(&api, "Gone", &HashSet::new()).await;
    let (status, _) = api.call("DELETE", &format!("{GROUPS}{gone}/"), None).await;
    assert_eq!(status, 204);
    let filters = api
        .get_all(&format!("/api/v1/filters/?workspace_id={}", workspace_id()))
        .await;
    for filter_id in [ALLOWLIST, BLOCKLIST] {
        let filter = filters
            .iter()
            .find(|filter| filter["filter_id"] == filter_id)
            .unwrap_or_else(|| panic!("{filter_id} is listed: {filters:?}"));
        assert_eq!(filter["type"], "select");
        assert_eq!(filter["data_type"], "ParticipantGroupID");
        assert_eq!(
            filter["choices"],
            json!({ live.as_str(): "Pilot" }),
            "live groups only"
        );
    }
    // Without the workspace the groups cannot be known.
    let plain = api.get_all("/api/v1/filters/").await;
    assert!(
        plain.iter().all(|filter| !filter["filter_id"]
            .as_str()
            .unwrap()
            .starts_with("participant_group")),
        "{plain:?}"
    );
    let (status, body) = api
        .get("/api/v1/filters/?workspace_id=0123456789abcdef01234567")
        .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn a_study_naming_a_group_it_cannot_use_is_refused() {
    let api = Api::start().await;
    let batch = one_group_batch(&api).await;
    let gone = create_group(&api, "Gone", &HashSet::new()).await;
    api.call("DELETE", &format!("{GROUPS}{gone}/"), None).await;
    let live = create_group(&api, "Live", &HashSet::new()).await;
    let unknown = "0123456789abcdef01234567";
    for filters in [
        group_filter(BLOCKLIST, unknown),
        group_filter(ALLOWLIST, &gone),
        json!([{"filter_id": BLOCKLIST, "selected_values": []}]),
        json!([{"filter_id": "and", "selected_filters": [
            {"filter_id": "sex", "selected_values": ["1"]},
            {"filter_id": ALLOWLIST, "selected_values": [live, unknown]}]}]),
    ] {
        let mut body = study_body(&batch);
        body["filters"] = filters.clone();
        let (status, answer) = api.post(STUDIES, body).await;
        assert_error(status, &answer, 400);
        assert!(
            answer["error"]["detail"]["filters"].is_array(),
            "{filters}: {answer}"
        );
        let (status, answer) = api
            .post(
                "/api/v1/eligibility-count/",
                json!({"workspace_id": workspace_id(), "filters": filters}),
            )
            .await;
        assert_error(status, &answer, 400);
    }
    // The same on a draft's PATCH; a usable group is taken.
    let study = draft(&api, &batch, 2, json!([])).await;
    let path = format!("{STUDIES}{study}/");
    let (status, answer) = api
        .patch(&path, json!({"filters": group_filter(BLOCKLIST, unknown)}))
        .await;
    assert_error(status, &answer, 400);
    let (status, answer) = api
        .patch(&path, json!({"filters": group_filter(BLOCKLIST, &live)}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["filters"][0]["selected_values"][0], live.as_str());
    // Deleted before publishing, the group stops the draft from going out.
    let (status, _) = api.call("DELETE", &format!("{GROUPS}{live}/"), None).await;
    assert_eq!(status, 204);
    let (status, answer) = api
        .post(&format!("{path}transition/"), json!({"action": "PUBLISH"}))
        .await;
    assert_error(status, &answer, 400);
    assert!(answer["error"]["detail"]["filters"].is_array(), "{answer}");
    let live = create_group(&api, "Live again", &HashSet::new()).await;
    // Eligibility needs the workspace the groups are in.
    let (status, answer) = api
        .post(
            "/api/v1/eligibility-count/",
            json!({"filters": group_filter(BLOCKLIST, &live)}),
        )
        .await;
    assert_error(status, &answer, 400);
    assert!(
        answer["error"]["detail"]["workspace_id"].is_array(),
        "{answer}"
    );
}

#[tokio::test]
async fn eligibility_counts_an_allowlist_as_its_members_and_a_blocklist_as_the_rest() {
    let api = Api::start().await;
    let people = participants(&api, &published(&api, 30, json!([])).await).await;
    let group = create_group(&api, "Thirty", &people).await;
    let count = |filters: Value| {
        let api = &api;
        async move {
            let (status, answer) = api
                .post(
                    "/api/v1/eligibility-count/",
                    json!({"workspace_id": workspace_id(), "filters": filters}),
                )
                .await;
            assert_eq!(status, 200, "{answer}");
            answer["count"].as_u64().unwrap()
        }
    };
    let everyone = count(json!([])).await;
    assert_eq!(count(group_filter(ALLOWLIST, &group)).await, 30);
    assert_eq!(count(group_filter(BLOCKLIST, &group)).await, everyone - 30);
}

// --- the pool and the filters at work --------------------------------------------------

#[tokio::test]
async fn a_blocklisted_groups_members_never_take_a_place_and_without_it_they_do() {
    let api = small_pool(Duration::ZERO).await;
    let pilot = participants(&api, &published(&api, 15, json!([])).await).await;
    assert_eq!(pilot.len(), 15);
    let group = create_group(&api, "Pilot", &pilot).await;

    // 25 places: every regular who was not in the pilot.
    let full = published(&api, 25, group_filter(BLOCKLIST, &group)).await;
    assert_eq!(study_status(&api, &full).await["status"], "AWAITING REVIEW");
    let full_people = participants(&api, &full).await;
    assert_eq!(full_people.len(), 25);
    assert!(full_people.is_disjoint(&pilot), "{full_people:?} {pilot:?}");

    // Without the filter, 26 places among 40 regulars must meet some of the pilot's 15.
    let open = participants(&api, &published(&api, 26, json!([])).await).await;
    assert!(!open.is_disjoint(&pilot), "the same people recur");
}

#[tokio::test]
async fn members_added_while_a_study_runs_are_kept_out_of_places_not_yet_taken() {
    let api = small_pool(Duration::ZERO).await;
    let pilot = participants(&api, &published(&api, 15, json!([])).await).await;
    let group = create_group(&api, "Pilot, later", &HashSet::new()).await;
    // One participant a minute from now on.
    api.server.set_participant_pace(Duration::from_secs(60));
    let full = published(&api, 30, group_filter(BLOCKLIST, &group)).await;
    api.server.advance_clock(Duration::from_secs(2 * 60 + 1));
    let early = participants(&api, &full).await;
    assert_eq!(early.len(), 3, "three places taken so far");

    let (status, answer) = api
        .post(
            &format!("{GROUPS}{group}/participants/"),
            json!({"participant_ids": pilot}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    api.server.advance_clock(Duration::from_secs(24 * 3600));
    assert_eq!(study_status(&api, &full).await["status"], "AWAITING REVIEW");
    let everyone = participants(&api, &full).await;
    assert_eq!(everyone.len(), 30);
    // The 27 later places, from 37 regulars of whom at most 25 are not in the pilot,
    // would have met the pilot had membership been read at publishing.
    let later: HashSet<&String> = everyone.difference(&early).collect();
    assert_eq!(later.len(), 27);
    assert!(
        later.iter().all(|person| !pilot.contains(*person)),
        "{later:?}"
    );
}

#[tokio::test]
async fn an_allowlist_keeps_places_for_members_and_waits_for_more() {
    let api = small_pool(Duration::ZERO).await;
    let pilot = participants(&api, &published(&api, 15, json!([])).await).await;
    let others: Vec<String> = participants(&api, &published(&api, 26, json!([])).await)
        .await
        .difference(&pilot)
        .cloned()
        .collect();
    let group = create_group(&api, "Invited", &pilot).await;

    let invited = published(&api, 20, group_filter(ALLOWLIST, &group)).await;
    api.server.advance_clock(Duration::from_secs(24 * 3600));
    let study = study_status(&api, &invited).await;
    assert_eq!(study["status"], "ACTIVE", "five places nobody may take");
    assert_eq!(study["places_taken"], 15);
    assert_eq!(participants(&api, &invited).await, pilot);

    // Five more members: the open places fill, with them.
    let (status, answer) = api
        .post(
            &format!("{GROUPS}{group}/participants/"),
            json!({"participant_ids": &others[..5]}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let study = study_status(&api, &invited).await;
    assert_eq!(study["status"], "AWAITING REVIEW", "{study}");
    let members: HashSet<String> = pilot.iter().chain(&others[..5]).cloned().collect();
    assert_eq!(participants(&api, &invited).await, members);
}

// --- time taken ------------------------------------------------------------------------------

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

/// The `time_taken` of a study's finished submissions.
async fn times_taken(api: &Api, study: &str) -> Vec<u64> {
    submissions(api, study)
        .await
        .iter()
        .filter(|submission| submission["status"] == "AWAITING REVIEW")
        .map(|submission| submission["time_taken"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn time_taken_centres_on_the_estimate_times_the_workspaces_factor() {
    let api = Api::start().await;
    // study_body estimates 5 minutes: 300 seconds.
    let as_estimated = times_taken(&api, &published(&api, 60, json!([])).await).await;
    assert_eq!(as_estimated.len(), 60);
    assert!(
        (255..=345).contains(&median(as_estimated.clone())),
        "{as_estimated:?}"
    );
    assert!(
        as_estimated.iter().any(|seconds| *seconds < 270)
            && as_estimated.iter().any(|seconds| *seconds > 330),
        "people differ: {as_estimated:?}"
    );

    let settings = api.server.set_time_factor_percent(300).unwrap();
    assert_eq!(settings.time_factor_percent, 300);
    let slow = times_taken(&api, &published(&api, 60, json!([])).await).await;
    assert!((765..=1_035).contains(&median(slow.clone())), "{slow:?}");

    // The same over HTTP; out of range is refused.
    let (status, settings) = api
        .patch("/_practice/workspace", json!({"time_factor_percent": 50}))
        .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["time_factor_percent"], 50);
    let (status, body) = api
        .patch("/_practice/workspace", json!({"time_factor_percent": 0}))
        .await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn time_taken_is_known_once_a_submission_ends_and_never_for_a_return() {
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_secs(60),
        return_share: 0.3,
        timeout_share: 0.3,
        seed: 5,
        ..PracticeConfig::default()
    })
    .await;
    let study = published(&api, 12, json!([])).await;
    api.server.advance_clock(Duration::from_secs(30));
    let under_way = submissions(&api, &study).await;
    assert_eq!(under_way.len(), 1);
    assert_eq!(under_way[0]["status"], "ACTIVE");
    assert!(under_way[0]["time_taken"].is_null(), "{under_way:?}");

    api.server.advance_clock(Duration::from_secs(24 * 3600));
    let ended = submissions(&api, &study).await;
    let of = |status: &str| -> Vec<&Value> {
        ended
            .iter()
            .filter(|submission| submission["status"] == status)
            .collect()
    };
    assert!(
        !of("RETURNED").is_empty() && !of("TIMED-OUT").is_empty(),
        "{ended:?}"
    );
    assert!(of("RETURNED").iter().all(|s| s["time_taken"].is_null()));
    // Timed out: the whole time allowed, 2 + 2t + 2√t minutes for t = 5.
    assert!(
        of("TIMED-OUT").iter().all(|s| s["time_taken"] == 989),
        "{ended:?}"
    );
    let finished = of("AWAITING REVIEW")[0];
    assert!(finished["time_taken"].as_u64().unwrap() > 0);
    // The single submission answers it too.
    let (status, one) = api
        .get(&format!(
            "/api/v1/submissions/{}/",
            finished["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["time_taken"], finished["time_taken"]);
}
