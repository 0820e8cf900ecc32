//! Numbers the spec types as doubles (rewards, places, counts, costs) but that are whole:
//! read as whole numbers whether they come as `100`, `100.0` or `"100"`, so a change of
//! JSON encoding on Prolific's side never breaks reading an answer.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A whole number from an integer, a float without a fraction (rounded otherwise) or a
/// numeric string; anything else, `null` included, reads as `None`.
fn whole(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64().or_else(|| {
            number
                .as_f64()
                .filter(|float| float.is_finite() && float.abs() < 9.0e15)
                // The guard above keeps the cast exact.
                .map(|float| float.round() as i64)
        }),
        Value::String(text) => text.trim().parse::<f64>().ok().and_then(|float| {
            (float.is_finite() && float.abs() < 9.0e15).then(|| float.round() as i64)
        }),
        _ => None,
    }
}

/// An optional amount in minor units, or a count that may be negative (`-1` = no limit).
pub(crate) fn optional_whole<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Ok(whole(&Value::deserialize(deserializer)?))
}

/// An optional count; a negative one reads as `None`.
pub(crate) fn optional_count<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    Ok(whole(&Value::deserialize(deserializer)?).and_then(|number| u64::try_from(number).ok()))
}

/// An optional list of amounts in minor units (a submission's `bonus_payments`): `None`
/// when absent, `null`, or when any item is not a whole number, so that a list that
/// could not be read whole is never taken for fewer payments than were made.
pub(crate) fn optional_whole_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<i64>>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.iter().map(whole).collect(),
        _ => None,
    })
}

/// A count that is zero when absent or unreadable (the submission counts).
pub(crate) fn count_or_zero<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    optional_count(deserializer).map(Option::unwrap_or_default)
}

/// A required whole number (an amount the answer must carry).
pub(crate) fn required_whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    whole(&value)
        .ok_or_else(|| serde::de::Error::custom(format!("expected a whole number, got {value}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[derive(Deserialize)]
    struct Amounts {
        #[serde(deserialize_with = "required_whole")]
        cost: i64,
        #[serde(default, deserialize_with = "optional_count")]
        places: Option<u64>,
        #[serde(default, deserialize_with = "count_or_zero")]
        taken: u64,
    }

    #[test]
    fn whole_numbers_read_from_integers_floats_and_text() {
        let read = |json: &str| serde_json::from_str::<Amounts>(json).unwrap();
        let amounts = read(r#"{"cost": 120.0, "places": "16", "taken": 3}"#);
        assert_eq!(
            (amounts.cost, amounts.places, amounts.taken),
            (120, Some(16), 3)
        );
        let amounts = read(r#"{"cost": "99.6", "places": -1, "taken": null}"#);
        assert_eq!(
            (amounts.cost, amounts.places, amounts.taken),
            (100, None, 0)
        );
        let amounts = read(r#"{"cost": 7}"#);
        assert_eq!((amounts.places, amounts.taken), (None, 0));
        assert!(serde_json::from_str::<Amounts>(r#"{"cost": "a lot"}"#).is_err());
        assert!(serde_json::from_str::<Amounts>(r#"{"cost": null}"#).is_err());
    }

    #[test]
    fn a_list_of_amounts_reads_whole_or_not_at_all() {
        #[derive(Deserialize)]
        struct Paid {
            #[serde(default, deserialize_with = "optional_whole_list")]
            paid: Option<Vec<i64>>,
        }
        let read = |json: &str| serde_json::from_str::<Paid>(json).unwrap().paid;
        assert_eq!(
            read(r#"{"paid": [150, 150.0, "25"]}"#),
            Some(vec![150, 150, 25])
        );
        assert_eq!(read(r#"{"paid": []}"#), Some(Vec::new()));
        assert_eq!(read(r#"{"paid": [150, "a lot"]}"#), None);
        assert_eq!(read(r#"{"paid": null}"#), None);
        assert_eq!(read("{}"), None);
    }
}
