//! Bonuses set up for a study's participants and paid from the workspace's balance, and
//! the messages the researcher sends to participants.
//!
//! A bulk bonus is set up first (nothing is paid) and paid by a second call. Paying the
//! same bulk bonus again pays it again: Prolific documents the pay call as not
//! idempotent, and the practice server does the same, so a client that sends it twice
//! is caught spending twice.

use serde_json::{Value, json};

use crate::clock::Moment;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct BulkBonus {
    /// A 24-hex ObjectId.
    pub(crate) id: String,
    pub(crate) study_id: String,
    /// The study's workspace, whose balance pays.
    pub(crate) workspace_id: String,
    /// One per row of the CSV, in its order.
    pub(crate) rows: Vec<BonusRow>,
    /// What participants receive in all, in minor units.
    pub(crate) amount: i64,
    /// Prolific's service fee on `amount`, minor units.
    pub(crate) fees: i64,
    /// VAT on the fee, minor units.
    pub(crate) vat: i64,
    /// `amount + fees + vat`: what each payment takes from the balance.
    pub(crate) total: i64,
    pub(crate) created_at: Moment,
    /// When it was paid, once for each pay call that was carried out.
    #[serde(default)]
    pub(crate) paid_at: Vec<Moment>,
}

/// One participant's bonus: the submission it goes to and its amount in minor units.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct BonusRow {
    pub(crate) submission_id: String,
    pub(crate) amount: i64,
}

impl BulkBonus {
    /// `BulkBonus`: amounts in minor units, as the spec's schema has them.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "study": self.study_id,
            "amount": self.amount,
            "fees": self.fees,
            "vat": self.vat,
            "total_amount": self.total,
        })
    }
}

/// A message the researcher sent to one participant (a bulk or group message is kept
/// as one message per recipient, as each reads it in their own conversation).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Message {
    /// A 24-hex ObjectId.
    pub(crate) id: String,
    pub(crate) sender_id: String,
    pub(crate) recipient_id: String,
    pub(crate) body: String,
    pub(crate) sent_at: Moment,
    /// The conversation between the sender and the recipient: the same for every
    /// message between the two.
    pub(crate) channel_id: String,
    /// The study the message is about, when one was named.
    pub(crate) study_id: Option<String>,
}

impl Message {
    /// `Message`.
    pub(crate) fn to_json(&self) -> Value {
        let data = match &self.study_id {
            Some(study_id) => json!({ "study_id": study_id }),
            None => json!({}),
        };
        json!({
            "id": self.id,
            "sender_id": self.sender_id,
            "body": self.body,
            "sent_at": self.sent_at.timestamp(),
            "type": "message",
            "channel_id": self.channel_id,
            "data": data,
        })
    }

    /// Whether `user_id` is either end of the conversation.
    pub(crate) fn involves(&self, user_id: &str) -> bool {
        self.sender_id == user_id || self.recipient_id == user_id
    }
}
