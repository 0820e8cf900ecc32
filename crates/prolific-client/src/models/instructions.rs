//! The deprecated instructions of batches made without `batch_items` (API-NOTES §5).
//! Read-only here beyond what is needed: the app builds layouts, not instructions.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::lenient::optional_text;
use super::results::ResponseType;

/// One legacy instruction: its question kind and text, and the rest as sent (options,
/// units, limits).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LegacyInstruction {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: ResponseType,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub created_at: Option<String>,
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn an_instruction_keeps_what_it_does_not_name() {
        let instruction: LegacyInstruction = serde_json::from_value(json!({
            "id": "0192a3b5-e8f9-7a0b-8000-00000000000c", "type": "multiple_choice",
            "description": "Pick one", "answer_limit": 1,
            "options": [{"label": "A", "value": "a"}], "created_at": "2026-01-01T00:00:00Z",
            "parent_type": "batch"
        }))
        .unwrap();
        assert_eq!(instruction.kind, ResponseType::MultipleChoice);
        assert_eq!(instruction.fields["answer_limit"], 1);
        assert_eq!(instruction.fields["parent_type"], "batch");
    }
}
