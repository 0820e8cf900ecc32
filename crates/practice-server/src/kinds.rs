//! Kinds of simulated people, in known proportions: a workspace's crowd mix, so that
//! quality control (agreement, accuracy on known answers, too-fast and careless work)
//! behaves as on a real study and can be tested.
//!
//! | Kind | Choices | Time taken | Free text | Numbers |
//! |---|---|---|---|---|
//! | `careful` | the row's truth 95 % of the time, else another option | as estimated | varied | near the row's truth |
//! | `average` | the row's truth 80 % of the time, else another option | as estimated | varied | near the row's truth, less so |
//! | `fast_clicker` | uniformly at random | about 15 % of the median | one or two words | at random |
//! | `straight_liner` | one option for everything (its place, fixed per person) | about 50 % | varied | at random |
//! | `bot` | uniformly at random | about 5 % | the same short text every time | at random |
//!
//! Times keep the usual spread around their median (see `crowd::Crowd::time_taken`) and
//! are at least a second. Multi-answer choices keep their rules (the answer limit,
//! exclusive options): a kind picks the first option, the rest are added as before
//! (straight-liners add none). Short texts are repeated up to a question's minimum
//! length, as a careless person pads an answer to get past the check.
//!
//! **The truth of a row** follows from the row itself, never from the person or the
//! task's id: when one of the row's hidden metadata columns (`META_…` in a classic
//! dataset, the `metadata` fields of a typed one) holds one of a question's option values
//! (ignoring case and surrounding spaces), that option is the truth, so a researcher's
//! known-answer column agrees with the simulation. Otherwise a hash of the row's data
//! fields, the question's wording and type and the server's seed picks it: the same data
//! in another batch (a pilot and its full study) has the same truth.
//!
//! **An item that says what to choose** (an instructional attention check: a shown
//! text naming the question's wording and, after "choose", an option's label, each in
//! double quotes) is followed by people who read: careful people always, average
//! people 97 % of the time; the kinds who do not read answer it as any other item.
//!
//! **Who is what**: a person's kind is a function of their id, the seed and the mix
//! (a hash of the id and seed gives a number from 0 to 99; the mix's shares, in the order
//! above, divide that range), so over the pool the shares match the mix. The kind is
//! recorded on each submission when it is planned, as its `time_taken` is: changing the
//! mix later changes the people who come from then on, never answers already given.
//! Without a mix (the default) nobody has a kind and participants answer as they always
//! have: a per-task consensus, against which a share (`PracticeConfig::disagreement`)
//! disagree.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::dataset_content::TASK_GROUP_COLUMN;
use crate::seeded::mix;

/// A kind of simulated person (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An expert: answers the truth 95 % of the time.
    Careful,
    /// Answers the truth 80 % of the time.
    Average,
    /// Clicks at random, in about 15 % of the usual time.
    FastClicker,
    /// Gives one answer to every choice, in about half the usual time.
    StraightLiner,
    /// Random choices, copied text, in about 5 % of the usual time.
    Bot,
}

impl Kind {
    /// Every kind, in the order a mix divides people.
    pub const ALL: [Self; 5] = [
        Self::Careful,
        Self::Average,
        Self::FastClicker,
        Self::StraightLiner,
        Self::Bot,
    ];

    /// The name used in JSON (`fast_clicker`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Careful => "careful",
            Self::Average => "average",
            Self::FastClicker => "fast_clicker",
            Self::StraightLiner => "straight_liner",
            Self::Bot => "bot",
        }
    }

    /// The share of the usual median time this kind takes.
    pub(crate) fn time_share(self) -> f64 {
        match self {
            Self::Careful | Self::Average => 1.0,
            Self::FastClicker => 0.15,
            Self::StraightLiner => 0.5,
            Self::Bot => 0.05,
        }
    }

    /// In percent, how often a person who reads follows an item that tells them which
    /// option to choose (an instructional attention check); `None` for kinds that do not
    /// read the items.
    pub(crate) fn follows_instructions_percent(self) -> Option<u64> {
        match self {
            Self::Careful => Some(100),
            Self::Average => Some(97),
            Self::FastClicker | Self::StraightLiner | Self::Bot => None,
        }
    }

    /// In percent, how often a choice is the row's truth; `None` for kinds that do not
    /// look for it.
    pub(crate) fn accuracy_percent(self) -> Option<u64> {
        match self {
            Self::Careful => Some(95),
            Self::Average => Some(80),
            Self::FastClicker | Self::StraightLiner | Self::Bot => None,
        }
    }
}

/// How many people of each kind a workspace's crowd holds, in percent; they add up to
/// 100. A kind left out of the JSON is 0, e.g.
/// `{"careful": 10, "average": 70, "fast_clicker": 8, "straight_liner": 6, "bot": 6}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CrowdMix {
    pub careful: u32,
    pub average: u32,
    pub fast_clicker: u32,
    pub straight_liner: u32,
    pub bot: u32,
}

impl CrowdMix {
    /// The share of `kind`, in percent.
    pub fn share(&self, kind: Kind) -> u32 {
        match kind {
            Kind::Careful => self.careful,
            Kind::Average => self.average,
            Kind::FastClicker => self.fast_clicker,
            Kind::StraightLiner => self.straight_liner,
            Kind::Bot => self.bot,
        }
    }

    /// The shares added up.
    fn total(&self) -> u64 {
        Kind::ALL
            .iter()
            .map(|kind| u64::from(self.share(*kind)))
            .sum()
    }

    /// Whether the shares add up to 100; the words of the refusal when not.
    pub fn check(&self) -> Result<(), String> {
        let total = self.total();
        if total == 100 {
            Ok(())
        } else {
            Err(format!(
                "The crowd mix gives the percentage of people of each kind (careful, average, \
                 fast_clicker, straight_liner, bot); they must add up to 100, and these add up \
                 to {total}."
            ))
        }
    }

    /// The kind of `participant_id` under this mix and `seed`: stable for a person.
    pub(crate) fn kind_of(&self, seed: u64, participant_id: &str) -> Kind {
        let point = mix(&[participant_id, "kind"], seed) % 100;
        let mut bound = 0_u64;
        for kind in Kind::ALL {
            bound += u64::from(self.share(kind));
            if point < bound {
                return kind;
            }
        }
        // Only for a mix that does not add up to 100, which is never kept.
        Kind::Average
    }
}

/// A person of a kind, as their answers need them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Person<'a> {
    pub(crate) kind: Kind,
    pub(crate) id: &'a str,
    pub(crate) seed: u64,
}

/// What bots type, one text per bot, the same for every item.
const BOT_TEXTS: [&str; 5] = ["good", "ok", "nice", "fine", "good job"];

impl Person<'_> {
    /// The option a straight-liner gives to every choice of `count` options: the same
    /// place in every list.
    pub(crate) fn straight_line(&self, count: usize) -> usize {
        let count = count.max(1) as u64;
        usize::try_from(mix(&[self.id, "straight line"], self.seed) % count).unwrap_or(0)
    }

    /// The one text a bot copies into every free-text answer.
    pub(crate) fn bot_text(&self) -> &'static str {
        let index = mix(&[self.id, "bot text"], self.seed) % BOT_TEXTS.len() as u64;
        BOT_TEXTS[usize::try_from(index).unwrap_or(0)]
    }
}

/// The hidden truth of one data row: what it holds, for the questions asked of it.
#[derive(Debug, Clone)]
pub(crate) struct RowTruth<'a> {
    /// A hash of the row's data fields (not its metadata) and the seed.
    data_hash: u64,
    metadata: &'a Map<String, Value>,
    /// The texts of the row's shown fields, as a reader sees them.
    shown_texts: Vec<String>,
}

/// A cell as text, to hash or to compare: a string as it is, anything else as JSON.
fn cell_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl<'a> RowTruth<'a> {
    /// The truth of the row with `fields`, whose `metadata` are hidden columns.
    pub(crate) fn of(
        fields: &Map<String, Value>,
        metadata: &'a Map<String, Value>,
        seed: u64,
    ) -> Self {
        let mut data: Vec<(&String, String)> = fields
            .iter()
            .filter(|(name, _)| !metadata.contains_key(*name) && *name != TASK_GROUP_COLUMN)
            .map(|(name, value)| (name, cell_text(value)))
            .collect();
        data.sort();
        let mut parts: Vec<&str> = vec!["row"];
        for (name, text) in &data {
            parts.push(name);
            parts.push(text);
        }
        Self {
            data_hash: mix(&parts, seed),
            metadata,
            shown_texts: data.into_iter().map(|(_, text)| text).collect(),
        }
    }

    /// The option an item tells the reader to choose for this question, if it does: a
    /// shown text naming the question's wording and then, after the word "choose", one
    /// option's label, each in double quotes (an instructional attention check).
    pub(crate) fn asked_option(&self, instruction: &Value, options: &[Value]) -> Option<usize> {
        let wording = instruction["description"].as_str()?.trim();
        if wording.is_empty() {
            return None;
        }
        self.shown_texts.iter().find_map(|text| {
            let after_question = text.find(&format!("\"{wording}\""))?;
            let rest = &text[after_question..];
            let asked = &rest[rest.find("choose \"")? + "choose \"".len()..];
            let label = &asked[..asked.find('"')?];
            options.iter().position(|option| {
                option["label"]
                    .as_str()
                    .is_some_and(|option| option.trim().eq_ignore_ascii_case(label.trim()))
            })
        })
    }

    /// A hash of the row and the question (its wording and type) and `what`.
    fn question_hash(&self, instruction: &Value, what: &str) -> u64 {
        let hash = self.data_hash.to_string();
        mix(
            &[
                &hash,
                instruction["description"].as_str().unwrap_or_default(),
                instruction["type"].as_str().unwrap_or_default(),
                what,
            ],
            0,
        )
    }

    /// The index of the true option of a choice question among `options`: the one a
    /// metadata column names, else one picked by the row's data.
    pub(crate) fn option(&self, instruction: &Value, options: &[Value]) -> usize {
        // In the columns' order by name, whatever order the map keeps; the task group
        // is not an answer.
        let mut columns: Vec<(&String, &Value)> = self
            .metadata
            .iter()
            .filter(|(name, _)| *name != TASK_GROUP_COLUMN)
            .collect();
        columns.sort_by(|a, b| a.0.cmp(b.0));
        let known = columns.into_iter().find_map(|(_, cell)| {
            let cell = cell_text(cell);
            let cell = cell.trim();
            options.iter().position(|option| {
                !cell.is_empty()
                    && cell_text(&option["value"])
                        .trim()
                        .eq_ignore_ascii_case(cell)
            })
        });
        known.unwrap_or_else(|| {
            let count = options.len().max(1) as u64;
            usize::try_from(self.question_hash(instruction, "option") % count).unwrap_or(0)
        })
    }

    /// The true number (a step of `steps` from the range's start) for a numeric question
    /// in `unit`.
    pub(crate) fn step(&self, instruction: &Value, unit: &Value, steps: u64) -> u64 {
        self.question_hash(instruction, &cell_text(unit)) % steps.max(1)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn a_reader_sees_which_option_an_item_asks_for() {
        let options = vec![
            json!({"label": "Positive", "value": "pos"}),
            json!({"label": "Negative", "value": "neg"}),
        ];
        let question = json!({"description": "How does it feel?", "type": "multiple_choice"});
        let metadata = Map::new();
        let asking = map(json!({
            "text": "This item checks care. For the question \"How does it feel?\", please choose \"Negative\"."
        }));
        assert_eq!(
            RowTruth::of(&asking, &metadata, 1).asked_option(&question, &options),
            Some(1)
        );
        let plain = map(json!({"text": "I would choose \"Negative\" myself."}));
        assert_eq!(
            RowTruth::of(&plain, &metadata, 1).asked_option(&question, &options),
            None,
            "the question must be named"
        );
    }

    #[test]
    fn a_mix_must_add_up_to_100() {
        let mix: CrowdMix = serde_json::from_value(json!({"careful": 50, "average": 50})).unwrap();
        assert_eq!(mix.check(), Ok(()));
        assert_eq!(mix.bot, 0, "a kind left out is none");
        let short = CrowdMix {
            careful: 10,
            average: 85,
            ..CrowdMix::default()
        };
        let refusal = short.check().unwrap_err();
        assert!(refusal.contains("add up to 95"), "{refusal}");
        let over = CrowdMix {
            careful: u32::MAX,
            average: u32::MAX,
            ..CrowdMix::default()
        };
        assert!(over.check().is_err(), "no overflow into 100");
        assert!(serde_json::from_value::<CrowdMix>(json!({"lazy": 100})).is_err());
    }

    #[test]
    fn kinds_divide_the_pool_as_the_mix_says_and_stay_with_a_person() {
        let mix = CrowdMix {
            careful: 10,
            average: 70,
            fast_clicker: 8,
            straight_liner: 6,
            bot: 6,
        };
        let pool: Vec<String> = (0..crate::crowd::POOL_SIZE)
            .map(|index| crate::crowd::pool_member(4, "w", index))
            .collect();
        for kind in Kind::ALL {
            let count = pool.iter().filter(|id| mix.kind_of(4, id) == kind).count();
            let percent = count as f64 * 100.0 / pool.len() as f64;
            let wanted = f64::from(mix.share(kind));
            assert!(
                (percent - wanted).abs() < 0.75,
                "{kind:?}: {percent:.2} % of the pool, not {wanted} %"
            );
        }
        assert_eq!(mix.kind_of(4, &pool[0]), mix.kind_of(4, &pool[0]));
        let nobody_careful = CrowdMix {
            careful: 0,
            average: 100,
            ..CrowdMix::default()
        };
        assert!(
            pool.iter()
                .take(1000)
                .all(|id| nobody_careful.kind_of(4, id) == Kind::Average)
        );
    }

    #[test]
    fn a_metadata_column_naming_an_option_is_the_truth_whatever_its_case() {
        let options = [json!({"value": "positive"}), json!({"value": "negative"})];
        let question = json!({"type": "multiple_choice", "description": "Feel?"});
        let metadata = map(json!({"META_label": " Negative "}));
        let fields = map(json!({"text": "Bad.", "META_label": " Negative "}));
        assert_eq!(
            RowTruth::of(&fields, &metadata, 0).option(&question, &options),
            1
        );
        let booleans = [json!({"value": true}), json!({"value": false})];
        let metadata = map(json!({"META_spam": "FALSE"}));
        assert_eq!(
            RowTruth::of(&fields, &metadata, 0).option(&question, &booleans),
            1
        );
    }

    #[test]
    fn otherwise_the_rows_data_picks_the_truth_the_same_for_the_same_data() {
        let options: Vec<Value> = (0..7).map(|value| json!({"value": value})).collect();
        let question = json!({"type": "multiple_choice", "description": "Which?"});
        let none = Map::new();
        let truth = |fields: Value, seed: u64| {
            RowTruth::of(&map(fields), &none, seed).option(&question, &options)
        };
        let rows: Vec<usize> = (0..40)
            .map(|row| truth(json!({"text": format!("row {row}")}), 0))
            .collect();
        assert!(rows.iter().any(|option| *option != rows[0]), "rows differ");
        for (row, expected) in rows.iter().enumerate() {
            let fields = json!({"text": format!("row {row}")});
            assert_eq!(truth(fields.clone(), 0), *expected, "the same data");
            // The task group it falls in is not the row's data.
            let mut grouped = fields;
            grouped[TASK_GROUP_COLUMN] = json!("g1");
            assert_eq!(truth(grouped, 0), *expected);
        }
        let seeded: Vec<usize> = (0..40)
            .map(|row| truth(json!({"text": format!("row {row}")}), 1))
            .collect();
        assert_ne!(seeded, rows, "another seed, other truths");
        // A metadata value that names no option leaves the data to decide.
        let metadata = map(json!({"META_note": "checked"}));
        let fields = map(json!({"text": "row 3", "META_note": "checked"}));
        assert_eq!(
            RowTruth::of(&fields, &metadata, 0).option(&question, &options),
            rows[3]
        );
    }
}
