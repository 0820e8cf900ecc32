//! The deprecated instructions endpoints (API-NOTES §5), for batches made without
//! `batch_items`. Every answer carries `Deprecation`/`Sunset`, which the transport turns
//! into [`Client::warnings`]. Data-collection paths have no trailing slash.

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::client::segment;
use crate::models::{LegacyInstruction, Listed};
use crate::transport::Safety;
use crate::{Client, ProlificError};

fn path(batch_id: &str) -> String {
    format!(
        "/api/v1/data-collection/batches/{}/instructions",
        segment(batch_id)
    )
}

#[derive(Serialize)]
struct Instructions<'a> {
    instructions: &'a [Value],
}

impl Client {
    /// `GET …/instructions`. A batch with `batch_items` answers 422.
    pub async fn legacy_instructions(
        &self,
        batch_id: &str,
    ) -> Result<Listed<LegacyInstruction>, ProlificError> {
        self.list(self.base.join(&path(batch_id))).await
    }

    /// `POST …/instructions` (201): appends. Not repeated after an unclear failure, as
    /// a repeat would append the same questions twice.
    pub async fn add_legacy_instructions(
        &self,
        batch_id: &str,
        instructions: &[Value],
    ) -> Result<Vec<LegacyInstruction>, ProlificError> {
        self.send_json(
            Safety::Create,
            Method::POST,
            &self.base.join(&path(batch_id)),
            Some(&Instructions { instructions }),
        )
        .await
    }

    /// `PUT …/instructions`: replaces them all; items with an `id` are kept, items
    /// without are created. Those would be created twice by a repeat, so it is not
    /// repeated after an unclear failure.
    pub async fn replace_legacy_instructions(
        &self,
        batch_id: &str,
        instructions: &[Value],
    ) -> Result<Vec<LegacyInstruction>, ProlificError> {
        self.send_json(
            Safety::Create,
            Method::PUT,
            &self.base.join(&path(batch_id)),
            Some(&Instructions { instructions }),
        )
        .await
    }
}
