//! The terms a study is published on: everything that decides what participants see and
//! what the researcher pays. A price quote carries a fingerprint of the terms it priced;
//! the researcher confirms that quote; the launch publishes only a study whose terms
//! have that fingerprint. So neither a setting changed after the confirmation nor a
//! draft study made earlier with other settings is ever published in its place.

use batchdesk_prolific::models::{Study, StudyFilter};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use specta::Type;

use super::rules;
use super::settings::{Approval, AudienceFilter, StudySettings};

/// What the researcher confirmed: the total they were shown and the fingerprint of the
/// terms it priced (both from the same [`super::settings::PriceQuote`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Confirmation {
    pub total: u32,
    pub fingerprint: String,
}

/// A study's terms, normalised so that the same study always reads the same.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StudyTerms {
    pub batch_id: String,
    pub project: String,
    pub title: String,
    pub description: String,
    pub reward: i64,
    pub people_per_item: u64,
    pub estimated_minutes: u64,
    pub max_minutes: u64,
    /// Sorted API names.
    pub devices: Vec<String>,
    /// Sorted by filter, values sorted, bounds as numbers.
    pub filters: Value,
    /// `AUTOMATICALLY_APPROVE` or `MANUALLY_REVIEW`.
    pub approval: String,
}

/// One term as Prolific shows it, `None` when Prolific's answer leaves it out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ShownTerms {
    pub batch_id: Option<String>,
    pub project: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub reward: Option<i64>,
    pub people_per_item: Option<u64>,
    pub estimated_minutes: Option<u64>,
    pub max_minutes: Option<u64>,
    pub devices: Option<Vec<String>>,
    pub filters: Option<Value>,
    pub approval: Option<String>,
}

/// A term that differs, and whether an update can change it (the batch and the project
/// are chosen when a study is created: a study on another one must be replaced).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Difference {
    pub term: &'static str,
    pub fixed_at_creation: bool,
}

impl StudyTerms {
    /// The terms `settings` would publish on `batch_id`; `None` without a project.
    pub fn planned(settings: &StudySettings, batch_id: &str) -> Option<Self> {
        let mut devices: Vec<String> = settings
            .devices
            .iter()
            .map(|device| device.api_name().to_owned())
            .collect();
        devices.sort();
        devices.dedup();
        Some(Self {
            batch_id: batch_id.to_owned(),
            project: settings.project_id.clone()?,
            title: settings.title.trim().to_owned(),
            description: settings.description.trim().to_owned(),
            reward: i64::from(settings.reward),
            people_per_item: u64::from(settings.people_per_item),
            estimated_minutes: u64::from(settings.estimated_minutes),
            max_minutes: u64::from(
                settings
                    .max_minutes
                    .unwrap_or_else(|| rules::default_max_minutes(settings.estimated_minutes)),
            ),
            devices,
            filters: normalised_filters(&audience_filters(&settings.filters)),
            approval: match settings.approval {
                Approval::Automatic => "AUTOMATICALLY_APPROVE",
                Approval::Review => "MANUALLY_REVIEW",
            }
            .to_owned(),
        })
    }

    /// A short, stable digest of the terms: what a confirmation names.
    pub fn fingerprint(&self) -> String {
        digest(&serde_json::to_string(self).unwrap_or_default())
    }

    /// The terms that `shown` has otherwise than these, in plain words. A term Prolific
    /// leaves out of its answer is not a difference (it cannot be checked; the journal
    /// says what was last sent for it).
    pub fn differences(&self, shown: &ShownTerms) -> Vec<Difference> {
        let mut found = Vec::new();
        let mut differs = |term, fixed_at_creation, same: Option<bool>| {
            if same == Some(false) {
                found.push(Difference {
                    term,
                    fixed_at_creation,
                });
            }
        };
        let eq = |a: &String, b: &Option<String>| b.as_ref().map(|b| a == b);
        differs("the batch", true, eq(&self.batch_id, &shown.batch_id));
        differs("the project", true, eq(&self.project, &shown.project));
        differs("the title", false, eq(&self.title, &shown.title));
        differs(
            "the description",
            false,
            eq(&self.description, &shown.description),
        );
        differs(
            "the reward",
            false,
            shown.reward.map(|shown| shown == self.reward),
        );
        differs(
            "the people per item",
            false,
            shown
                .people_per_item
                .map(|shown| shown == self.people_per_item),
        );
        differs(
            "the estimated time",
            false,
            shown
                .estimated_minutes
                .map(|shown| shown == self.estimated_minutes),
        );
        differs(
            "the time limit",
            false,
            shown.max_minutes.map(|shown| shown == self.max_minutes),
        );
        differs(
            "the devices",
            false,
            shown.devices.as_ref().map(|shown| *shown == self.devices),
        );
        differs(
            "the audience",
            false,
            shown.filters.as_ref().map(|shown| *shown == self.filters),
        );
        differs(
            "the approval",
            false,
            shown.approval.as_ref().map(|shown| *shown == self.approval),
        );
        found
    }
}

impl ShownTerms {
    /// The terms of a study as Prolific answers it.
    pub fn of(study: &Study) -> Self {
        let mut devices = study.device_compatibility.clone();
        if let Some(devices) = devices.as_mut() {
            devices.sort();
            devices.dedup();
        }
        Self {
            batch_id: study.data_collection_id.clone(),
            project: study.project.clone(),
            title: Some(study.name.trim().to_owned()),
            description: study
                .description
                .as_ref()
                .map(|text| text.trim().to_owned()),
            reward: study.reward,
            people_per_item: study
                .data_collection_metadata
                .as_ref()
                .and_then(|metadata| metadata.annotators_per_task),
            estimated_minutes: study.estimated_completion_time,
            max_minutes: study.maximum_allowed_time,
            devices,
            filters: study.filters.as_deref().map(normalised_filters),
            approval: study.completion_codes.as_ref().and_then(|codes| {
                codes
                    .iter()
                    .find(|code| code.code_type == "COMPLETED")
                    .and_then(|code| code.actions.first())
                    .and_then(|action| serde_json::to_value(&action.action).ok())
                    .and_then(|value| value.as_str().map(str::to_owned))
            }),
        }
    }
}

/// A short, stable digest of a text (the first 96 bits of its SHA-256, in hex).
pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..12]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The audience as Prolific's filters. A range with neither bound restricts nobody and
/// is left out (Prolific refuses a range without a bound).
pub fn audience_filters(filters: &[AudienceFilter]) -> Vec<StudyFilter> {
    filters
        .iter()
        .filter_map(|filter| match filter {
            AudienceFilter::Select { filter_id, values } => {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                Some(StudyFilter::select(filter_id, &values))
            }
            AudienceFilter::Range {
                lower: None,
                upper: None,
                ..
            } => None,
            AudienceFilter::Range {
                filter_id,
                lower,
                upper,
            } => Some(StudyFilter::range(filter_id, *lower, *upper)),
        })
        .collect()
}

/// Filters in one canonical shape: sorted by id, select values sorted, range bounds as
/// numbers (Prolific may answer `18` for `18.0`), groups normalised inside.
fn normalised_filters(filters: &[StudyFilter]) -> Value {
    let number = |value: &Option<Value>| value.as_ref().and_then(Value::as_f64);
    let mut shaped: Vec<(String, Value)> = filters
        .iter()
        .map(|filter| {
            let mut values = filter.selected_values.clone();
            if let Some(values) = values.as_mut() {
                values.sort();
            }
            let range = filter
                .selected_range
                .as_ref()
                .map(|range| json!([number(&range.lower), number(&range.upper)]));
            let group = filter.selected_filters.as_deref().map(normalised_filters);
            (
                filter.filter_id.clone(),
                json!({ "id": filter.filter_id, "values": values, "range": range, "group": group }),
            )
        })
        .collect();
    shaped.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.to_string().cmp(&b.1.to_string()))
    });
    Value::Array(shaped.into_iter().map(|(_, value)| value).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::study::settings::Device;

    fn settings() -> StudySettings {
        StudySettings {
            title: " Label tweets ".to_owned(),
            description: "Read and label.".to_owned(),
            internal_name: "x".to_owned(),
            estimated_minutes: 10,
            max_minutes: None,
            reward: 150,
            people_per_item: 3,
            devices: vec![Device::Mobile, Device::Desktop],
            project_id: Some("p1".to_owned()),
            approval: Approval::Review,
            filters: vec![
                AudienceFilter::Range {
                    filter_id: "age".to_owned(),
                    lower: Some(18.0),
                    upper: None,
                },
                AudienceFilter::Select {
                    filter_id: "first-language".to_owned(),
                    values: vec!["b".to_owned(), "a".to_owned()],
                },
            ],
        }
    }

    #[test]
    fn the_fingerprint_follows_every_term_and_nothing_else() {
        let base = StudyTerms::planned(&settings(), "batch").unwrap();
        let same = StudyTerms::planned(
            &StudySettings {
                internal_name: "another internal name".to_owned(),
                devices: vec![Device::Desktop, Device::Mobile],
                ..settings()
            },
            "batch",
        )
        .unwrap();
        assert_eq!(base.fingerprint(), same.fingerprint());
        let changes: Vec<StudySettings> = vec![
            StudySettings {
                reward: 151,
                ..settings()
            },
            StudySettings {
                people_per_item: 4,
                ..settings()
            },
            StudySettings {
                description: "Other.".to_owned(),
                ..settings()
            },
            StudySettings {
                filters: Vec::new(),
                ..settings()
            },
            StudySettings {
                approval: Approval::Automatic,
                ..settings()
            },
            StudySettings {
                max_minutes: Some(99),
                ..settings()
            },
        ];
        for changed in changes {
            let terms = StudyTerms::planned(&changed, "batch").unwrap();
            assert_ne!(terms.fingerprint(), base.fingerprint(), "{changed:?}");
        }
        let other_batch = StudyTerms::planned(&settings(), "batch-2").unwrap();
        assert_ne!(other_batch.fingerprint(), base.fingerprint());
    }

    #[test]
    fn differences_name_what_changed_and_what_needs_a_new_study() {
        let terms = StudyTerms::planned(&settings(), "batch").unwrap();
        let mut shown = ShownTerms {
            batch_id: Some("batch".to_owned()),
            project: Some("p1".to_owned()),
            title: Some("Label tweets".to_owned()),
            reward: Some(150),
            filters: Some(terms.filters.clone()),
            ..ShownTerms::default()
        };
        assert_eq!(terms.differences(&shown), Vec::new());
        shown.reward = Some(120);
        shown.project = Some("p2".to_owned());
        assert_eq!(
            terms.differences(&shown),
            vec![
                Difference {
                    term: "the project",
                    fixed_at_creation: true
                },
                Difference {
                    term: "the reward",
                    fixed_at_creation: false
                },
            ]
        );
    }
}
