//! Who can take part and what it costs, asked before publishing (API-NOTES §7.7, §8).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient::lenient_enum;
use super::numbers::{optional_whole, required_whole};
use super::studies::StudyFilter;

lenient_enum!(
    /// A filter's kind.
    FilterType {
        Select => "select",
        Range => "range",
    }
);

/// A filter Prolific offers (`GET /api/v1/filters/`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Filter {
    pub filter_id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<FilterType>,
    #[serde(default)]
    pub question: Option<String>,
    /// Select filters: choice id → label.
    #[serde(default)]
    pub choices: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    pub data_type: Option<String>,
    /// Range filters: numbers, or dates for date filters.
    #[serde(default)]
    pub min: Option<Value>,
    #[serde(default)]
    pub max: Option<Value>,
}

/// A saved set of filters (`GET /api/v1/filter-sets/`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FilterSet {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "optional_whole")]
    pub version: Option<i64>,
    #[serde(default)]
    pub is_deleted: Option<bool>,
    #[serde(default)]
    pub is_locked: Option<bool>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub organisation_id: Option<String>,
    #[serde(default)]
    pub filters: Vec<StudyFilter>,
}

/// `POST /api/v1/eligibility-count/`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EligibilityQuery {
    /// Empty = everyone.
    pub filters: Vec<StudyFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct EligibilityAnswer {
    #[serde(deserialize_with = "required_whole")]
    pub count: i64,
}

#[derive(Serialize)]
pub(crate) struct CostQuestion {
    pub reward: i64,
    pub total_available_places: u64,
}

#[derive(Deserialize)]
pub(crate) struct CostAnswer {
    #[serde(deserialize_with = "required_whole")]
    pub total_cost: i64,
}

/// `GET /api/v1/reward-recommendations/`: per hour, in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RewardRecommendation {
    pub currency: String,
    #[serde(deserialize_with = "required_whole")]
    pub min_reward_per_hour: i64,
    #[serde(deserialize_with = "required_whole")]
    pub recommended_reward_per_hour: i64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn filters_and_filter_sets_read_as_the_spec_has_them() {
        let range: Filter = serde_json::from_value(json!({
            "filter_id": "age", "title": "Age", "type": "range", "data_type": "integer",
            "min": 18, "max": 100, "min_max": 18, "max_min": 100
        }))
        .unwrap();
        assert_eq!(range.kind, Some(FilterType::Range));
        let select: Filter = serde_json::from_value(json!({
            "filter_id": "sex", "type": "select", "choices": {"0": "Male", "1": "Female"}
        }))
        .unwrap();
        assert_eq!(select.choices.unwrap()["1"], "Female");
        let set: FilterSet = serde_json::from_value(json!({
            "id": "644aaabfaf6bbc363b9d47c6", "version": 2, "is_deleted": false,
            "is_locked": true, "workspace_id": "644aaabfaf6bbc363b9d47c7",
            "organisation_id": null, "name": "UK adults",
            "filters": [
                {"filter_id": "age", "selected_range": {"lower": 18, "upper": 99}},
                {"filter_id": "or", "selected_filters": [
                    {"filter_id": "current-country-of-residence", "selected_values": ["0"]}
                ]}
            ]
        }))
        .unwrap();
        assert_eq!(set.version, Some(2));
        assert_eq!(set.filters.len(), 2);
        assert_eq!(
            set.filters[1].selected_filters.as_ref().unwrap()[0].filter_id,
            "current-country-of-residence"
        );
    }

    #[test]
    fn amounts_read_as_whole_minor_units() {
        let cost: CostAnswer = serde_json::from_value(json!({"total_cost": 1680.0})).unwrap();
        assert_eq!(cost.total_cost, 1680);
        let count: EligibilityAnswer = serde_json::from_value(json!({"count": 0})).unwrap();
        assert_eq!(count.count, 0);
        let recommended: Vec<RewardRecommendation> = serde_json::from_value(json!([
            {"currency": "GBP", "min_reward_per_hour": 600, "recommended_reward_per_hour": 900.0}
        ]))
        .unwrap();
        assert_eq!(recommended[0].recommended_reward_per_hour, 900);
    }
}
