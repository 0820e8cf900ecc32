//! Messages against the practice server over real HTTP: to the people chosen, to a
//! participant group, to everyone in the study; each confirmed for the number of people
//! it reaches and sent once whatever the clicks or lost answers (a message sent twice
//! reaches its readers twice, and Prolific cannot take one back).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::groups::{self, GroupTarget};
use batchdesk_engine::messages::{self, MessageError, MessageTo};
use batchdesk_engine::session::SessionError;
use batchdesk_engine::wizard;
use batchdesk_practice::{Fault, PracticeConfig, Times};
use batchdesk_prolific::ProlificError;

const TOKEN: &str = "messages-token";

/// A study of the reviews, filled (zero pace, nobody returns), published; its people.
async fn filled_study(dir: &Path) -> (Connections, String, Vec<String>) {
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        return_share: 0.0,
        timeout_share: 0.0,
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    wizard::study_context(&connections).await.unwrap();
    let launched = support::publish(&connections).await;
    let (_, client) = connections.client().await.unwrap();
    let people: Vec<String> = client
        .submissions(&launched.study_id, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|submission| submission.participant_id)
        .collect();
    assert!(people.len() >= 4, "{people:?}");
    (connections, launched.study_id, people)
}

/// How many times `person` got `body`.
async fn received(connections: &Connections, person: &str, body: &str) -> usize {
    let (_, client) = connections.client().await.unwrap();
    client
        .messages_with(person)
        .await
        .unwrap()
        .iter()
        .filter(|message| message.body == body)
        .count()
}

fn people(ids: &[String]) -> MessageTo {
    MessageTo::People {
        participant_ids: ids.to_vec(),
    }
}

#[tokio::test]
async fn a_message_reaches_the_chosen_people_a_group_or_everyone_once_as_confirmed() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study, everyone) = filled_study(dir.path()).await;

    // Two people chosen: confirmed for 2, each gets it once; the same click again sends
    // nothing more.
    let two = people(&everyone[..2]);
    let thanks = "Thank you for your careful answers.";
    let audience = messages::audience(&connections, &study, &two)
        .await
        .unwrap();
    assert_eq!(audience.people, 2);
    let sent = messages::send(&connections, &study, &two, thanks, 2)
        .await
        .unwrap();
    assert_eq!((sent.people, sent.already_sent), (2, false));
    let again = messages::send(&connections, &study, &two, &format!("  {thanks}\n"), 2)
        .await
        .unwrap();
    assert_eq!((again.people, again.already_sent), (2, true));
    for person in &everyone[..2] {
        assert_eq!(received(&connections, person, thanks).await, 1);
    }
    assert_eq!(received(&connections, &everyone[2], thanks).await, 0);

    // Confirmed for another number of people: nothing is sent.
    let changed = messages::send(&connections, &study, &two, "Another word.", 3).await;
    assert!(
        matches!(
            changed,
            Err(MessageError::AudienceChanged {
                confirmed: 3,
                now: 2
            })
        ),
        "{changed:?}"
    );
    assert_eq!(
        received(&connections, &everyone[0], "Another word.").await,
        0
    );

    // A participant group the researcher made: every member, through the group.
    let group = groups::remember(
        &connections,
        &GroupTarget::New {
            name: "Trusted annotators".to_owned(),
        },
        &everyone[1..4],
    )
    .await
    .unwrap();
    let to_group = MessageTo::Group {
        group_id: group.id.clone(),
    };
    let note = "A new study opens next week, if you would like to take part.";
    let members = messages::audience(&connections, &study, &to_group)
        .await
        .unwrap();
    assert_eq!(members.people, 3);
    let sent = messages::send(&connections, &study, &to_group, note, 3)
        .await
        .unwrap();
    assert_eq!((sent.people, sent.already_sent), (3, false));
    for person in &everyone[1..4] {
        assert_eq!(received(&connections, person, note).await, 1);
    }
    assert_eq!(received(&connections, &everyone[0], note).await, 0);

    // Everyone in the study: each person who took part, once.
    let question =
        "We have a question about your answers: could you tell us how you went about the task?";
    let all = messages::audience(&connections, &study, &MessageTo::Everyone)
        .await
        .unwrap();
    let mut distinct = everyone.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(all.people as usize, distinct.len());
    let sent = messages::send(
        &connections,
        &study,
        &MessageTo::Everyone,
        question,
        all.people,
    )
    .await
    .unwrap();
    assert_eq!(sent.people, all.people);
    for person in &distinct {
        assert_eq!(received(&connections, person, question).await, 1);
    }

    // Nothing to send, or nobody to send it to, is refused before anything is sent.
    assert!(matches!(
        messages::send(&connections, &study, &two, "  ", 2).await,
        Err(MessageError::EmptyMessage)
    ));
    assert!(matches!(
        messages::audience(&connections, &study, &people(&[])).await,
        Err(MessageError::NobodyChosen)
    ));
}

#[tokio::test]
async fn a_send_whose_answer_was_lost_is_found_sent_and_never_sent_twice() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study, everyone) = filled_study(dir.path()).await;
    let two = people(&everyone[..2]);

    // Sent on the server, the answer lost: the conversations show it, so it is sent.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::AnswerLost,
        "POST",
        "/api/v1/messages/bulk/",
        Times::Next(1),
    )
    .await;
    let body = "Thank you for taking part.";
    let sent = messages::send(&connections, &study, &two, body, 2)
        .await
        .unwrap();
    assert_eq!(sent.people, 2);
    let again = messages::send(&connections, &study, &two, body, 2)
        .await
        .unwrap();
    assert!(again.already_sent);
    for person in &everyone[..2] {
        assert_eq!(received(&connections, person, body).await, 1, "sent once");
    }
}

#[tokio::test]
async fn a_send_left_unclear_is_not_sent_again_and_a_refused_one_may_be() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study, everyone) = filled_study(dir.path()).await;
    let two = people(&everyone[..2]);

    // A server error: Prolific may have sent it, the conversations do not show it; it
    // is not sent again, now or at the next click.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::ServerError { status: 502 },
        "POST",
        "/api/v1/messages/bulk/",
        Times::Next(1),
    )
    .await;
    let body = "A question about your answers.";
    let unclear = messages::send(&connections, &study, &two, body, 2).await;
    assert!(
        matches!(unclear, Err(MessageError::SendUnclear)),
        "{unclear:?}"
    );
    let again = messages::send(&connections, &study, &two, body, 2).await;
    assert!(matches!(again, Err(MessageError::SendUnclear)), "{again:?}");
    assert_eq!(received(&connections, &everyone[0], body).await, 0);
    // Other words are another message: sent.
    let reworded = format!("{body} Please reply here.");
    let sent = messages::send(&connections, &study, &two, &reworded, 2)
        .await
        .unwrap();
    assert!(!sent.already_sent);
    assert_eq!(received(&connections, &everyone[0], &reworded).await, 1);

    // Refused outright (someone who did not take part): nothing went, so the same send
    // is tried again rather than called unclear.
    let stranger = people(&[everyone[0].clone(), "not-a-participant".to_owned()]);
    for _ in 0..2 {
        let refused = messages::send(&connections, &study, &stranger, "Hello.", 2).await;
        assert!(
            matches!(
                refused,
                Err(MessageError::Session(SessionError::Prolific(
                    ProlificError::Validation { .. }
                )))
            ),
            "{refused:?}"
        );
    }
    assert_eq!(received(&connections, &everyone[0], "Hello.").await, 0);
}
