//! Sentences for the researcher that Rust decides (errors, the design's and the settings'
//! issues, the CSV doctor's findings), kept in the UI's one catalogue like every other
//! word the app shows, so they can be translated with it.
//!
//! Rust never builds such a sentence from English pieces: it names a catalogue entry
//! (`"errors:storeFailed"`, a namespace and a key as i18next writes them) and gives the
//! values it needs, as numbers, money and words, not formatted text. The UI says it in
//! the researcher's language and formats the values for the OS locale (`say` in
//! `ui/src/i18n`). Rust's `Display` of a [`Text`] is the English entry, for logs and tests.
//!
//! The namespaces Rust speaks from are [`NAMESPACES`]; a test checks that every
//! `text!("…")` in the Rust sources names an entry there and that every entry is used.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::LazyLock;

use serde::Serialize;
use specta::Type;

/// The catalogue files Rust's sentences are in, by namespace. They are the UI's files
/// (the UI bundles them as it bundles the rest of its catalogue); Rust reads the English
/// ones only to write its `Display`.
pub const NAMESPACES: [(&str, &str); 2] = [
    (
        "errors",
        include_str!("../../../ui/src/i18n/en/errors.json"),
    ),
    (
        "checks",
        include_str!("../../../ui/src/i18n/en/checks.json"),
    ),
];

/// A catalogue sentence and the values it is said with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Text {
    /// `namespace:key`, as i18next names an entry (`errors:storeFailed`). A `count` value
    /// chooses between the entry's plural forms (`…_one`, `…_other`).
    #[specta(type = String)]
    pub key: Cow<'static, str>,
    pub params: BTreeMap<String, TextValue>,
}

/// A value a sentence is said with. The catalogue says how each is shown:
/// `{{count, number}}`, `{{price, money}}`, `{{when, datetime}}`, or plain `{{name}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(untagged)]
pub enum TextValue {
    Number(f64),
    /// An amount in minor units (pence, cents) and its ISO currency.
    Money {
        // Sums of money, far below 2^53: exact as a JavaScript number.
        #[specta(type = f64)]
        minor: i64,
        currency: String,
    },
    /// Words that are not ours to translate: a file's name, a column's, what Prolific
    /// said in its own words.
    Words(String),
    /// A sentence of the catalogue inside another (an error that says which setting).
    Said(Box<Text>),
    /// Several values said as a list: "1, 2 and 3" in English (`{{lines, list}}`); the UI
    /// joins them the way the words' language does (`Intl.ListFormat`).
    List(Vec<TextValue>),
}

// A number is never NaN: `From<f64>` turns one into 0.
impl Eq for TextValue {}

impl Text {
    /// The entry `key` (`namespace:key`) with no values yet.
    #[must_use]
    pub fn new(key: &'static str) -> Self {
        debug_assert!(known(key), "no catalogue entry {key}");
        Self {
            key: Cow::Borrowed(key),
            params: BTreeMap::new(),
        }
    }

    /// The same sentence said with `name` = `value` as well.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<TextValue>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// An amount of money, said for the researcher's locale.
    #[must_use]
    pub fn with_money(self, name: &str, minor: i64, currency: &str) -> Self {
        self.with(
            name,
            TextValue::Money {
                minor,
                currency: currency.to_owned(),
            },
        )
    }
}

/// `text!("errors:fileUnreadable", file = name, count = rows)`: the catalogue entry,
/// said with those values (anything `Into<TextValue>`).
#[macro_export]
macro_rules! text {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::text::Text::new($key)$(.with(stringify!($name), $value))*
    };
}

impl From<f64> for TextValue {
    fn from(value: f64) -> Self {
        Self::Number(if value.is_nan() { 0.0 } else { value })
    }
}

macro_rules! whole_numbers {
    ($($kind:ty),*) => {$(
        impl From<$kind> for TextValue {
            // Counts and sizes: far below 2^53, where f64 stops being exact.
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(value: $kind) -> Self {
                Self::Number(value as f64)
            }
        }
        impl From<&$kind> for TextValue {
            fn from(value: &$kind) -> Self {
                Self::from(*value)
            }
        }
    )*};
}
whole_numbers!(u8, u16, u32, u64, usize, i32, i64);

impl From<Text> for TextValue {
    fn from(value: Text) -> Self {
        Self::Said(Box::new(value))
    }
}

impl<T: Into<TextValue>> From<Vec<T>> for TextValue {
    fn from(values: Vec<T>) -> Self {
        Self::List(values.into_iter().map(Into::into).collect())
    }
}

impl From<String> for TextValue {
    fn from(value: String) -> Self {
        Self::Words(value)
    }
}

impl From<&str> for TextValue {
    fn from(value: &str) -> Self {
        Self::Words(value.to_owned())
    }
}

impl From<&String> for TextValue {
    fn from(value: &String) -> Self {
        Self::Words(value.clone())
    }
}

impl From<Cow<'_, str>> for TextValue {
    fn from(value: Cow<'_, str>) -> Self {
        Self::Words(value.into_owned())
    }
}

impl From<&std::path::PathBuf> for TextValue {
    fn from(value: &std::path::PathBuf) -> Self {
        Self::from(value.as_path())
    }
}

impl From<&std::path::Path> for TextValue {
    fn from(value: &std::path::Path) -> Self {
        Self::Words(value.display().to_string())
    }
}

/// Every English entry, flattened to `namespace:a.b.c` as i18next's keys are.
static ENGLISH: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut entries = HashMap::new();
    for (namespace, json) in NAMESPACES {
        let tree: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|error| {
            panic!("the catalogue file {namespace}.json is not JSON: {error}")
        });
        flatten(&format!("{namespace}:"), &tree, &mut entries);
    }
    entries
});

fn flatten(prefix: &str, value: &serde_json::Value, into: &mut HashMap<String, String>) {
    match value {
        serde_json::Value::Object(children) => {
            for (name, child) in children {
                let separator = if prefix.ends_with(':') { "" } else { "." };
                flatten(&format!("{prefix}{separator}{name}"), child, into);
            }
        }
        serde_json::Value::String(sentence) => {
            into.insert(prefix.to_owned(), sentence.clone());
        }
        _ => {}
    }
}

/// Every key of Rust's namespaces (plural forms under their own `_one`/`_other` names).
#[must_use]
pub fn catalogue_keys() -> Vec<String> {
    let mut keys: Vec<String> = ENGLISH.keys().cloned().collect();
    keys.sort();
    keys
}

/// Whether `key` is an entry, or the name of one with plural forms.
#[must_use]
pub fn known(key: &str) -> bool {
    template(key).is_some() || template(&format!("{key}_other")).is_some()
}

/// The English entry for `key`, or for its plural form when a form exists.
fn template(key: &str) -> Option<&'static str> {
    ENGLISH.get(key).map(String::as_str)
}

fn plural_template(key: &str, count: Option<f64>) -> Option<&'static str> {
    plural_form(key, count, template)
}

/// The entry for `count`'s plural form of `key` (English has two: `_one` and `_other`;
/// the UI uses the locale's own rules), or `key`'s own when it has no forms.
fn plural_form(
    key: &str,
    count: Option<f64>,
    lookup: impl Fn(&str) -> Option<&'static str>,
) -> Option<&'static str> {
    let form = match count {
        Some(1.0) => "_one",
        Some(_) => "_other",
        None => "",
    };
    lookup(&format!("{key}{form}")).or_else(|| lookup(key))
}

impl fmt::Display for Text {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match plural_template(&self.key, count_of(&self.params)) {
            Some(sentence) => say(sentence, &self.params, formatter),
            None => formatter.write_str(&self.key),
        }
    }
}

fn count_of(params: &BTreeMap<String, TextValue>) -> Option<f64> {
    match params.get("count") {
        Some(TextValue::Number(count)) => Some(*count),
        _ => None,
    }
}

/// `sentence` with each `{{name}}` or `{{name, format}}` replaced by its value (a value
/// not given is left as it was written, so a missing one shows in a test).
fn say(
    sentence: &str,
    params: &BTreeMap<String, TextValue>,
    formatter: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let mut rest = sentence;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        formatter.write_str(&rest[..start])?;
        let inside = &rest[start + 2..start + length];
        let (name, format) = inside.split_once(',').unwrap_or((inside, ""));
        match params.get(name.trim()) {
            Some(value) => write_value(value, Grouping::of(format), formatter)?,
            None => write!(formatter, "{{{{{inside}}}}}")?,
        }
        rest = &rest[start + length + 2..];
    }
    formatter.write_str(rest)
}

/// Whether a placeholder's numbers are grouped in thousands, as the UI's number formatter
/// does in English: `{{count, number}}` and `{{lines, list}}` are, unless the format says
/// `useGrouping: false`; a plain `{{count}}` is not.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Grouping {
    Thousands,
    None,
}

impl Grouping {
    fn of(format: &str) -> Self {
        let format = format.trim();
        let formatted = format.starts_with("number") || format.starts_with("list");
        if formatted && !format.replace(' ', "").contains("useGrouping:false") {
            Self::Thousands
        } else {
            Self::None
        }
    }
}

fn write_value(
    value: &TextValue,
    grouping: Grouping,
    formatter: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    match value {
        TextValue::Number(number) if grouping == Grouping::Thousands => {
            formatter.write_str(&grouped(*number))
        }
        TextValue::List(values) => {
            for (index, item) in values.iter().enumerate() {
                if index > 0 {
                    let last = index + 1 == values.len();
                    formatter.write_str(if last { " and " } else { ", " })?;
                }
                write_value(item, grouping, formatter)?;
            }
            Ok(())
        }
        other => write!(formatter, "{other}"),
    }
}

/// `1234567` → `1,234,567`, as the UI's number formatter says it in English.
fn grouped(number: f64) -> String {
    let plain = number.to_string();
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
    let (sign, digits) = whole
        .strip_prefix('-')
        .map_or(("", whole), |digits| ("-", digits));
    let mut out = String::from(sign);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

impl fmt::Display for TextValue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::List(_) => write_value(self, Grouping::None, formatter),
            Self::Number(number) => write!(formatter, "{number}"),
            Self::Money { minor, currency } => formatter.write_str(&money_from(*minor, currency)),
            Self::Words(words) => formatter.write_str(words),
            Self::Said(text) => write!(formatter, "{text}"),
        }
    }
}

/// An amount in minor units in English (£12.50, $3.00, 1.20 EUR): for logs, Rust's
/// `Display` of a [`Text`], and the methods paragraph written for a paper. What the UI
/// shows is formatted there, for the OS locale.
pub fn money(minor: u32, currency: &str) -> String {
    let major = f64::from(minor) / 100.0;
    match currency {
        "GBP" => format!("£{major:.2}"),
        "USD" => format!("${major:.2}"),
        other => format!("{major:.2} {other}"),
    }
}

/// [`money`] for a signed amount from Prolific (a balance, a cost): below zero reads as
/// nothing, above `u32::MAX` minor units as that.
pub fn money_from(minor: i64, currency: &str) -> String {
    money(u32::try_from(minor.max(0)).unwrap_or(u32::MAX), currency)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sentence` said with `params`, outside the catalogue.
    fn said(sentence: &'static str, params: &BTreeMap<String, TextValue>) -> String {
        struct Said<'a>(&'a str, &'a BTreeMap<String, TextValue>);
        impl fmt::Display for Said<'_> {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                say(self.0, self.1, formatter)
            }
        }
        Said(sentence, params).to_string()
    }

    #[test]
    fn values_are_put_in_their_places() {
        let params = BTreeMap::from([
            ("count".to_owned(), TextValue::from(3_u32)),
            ("file".to_owned(), TextValue::from("reviews.csv")),
            (
                "price".to_owned(),
                TextValue::Money {
                    minor: 1250,
                    currency: "GBP".to_owned(),
                },
            ),
        ]);
        assert_eq!(
            said(
                "{{count, number}} rows of {{file}} cost {{price, money}}; {{missing}}",
                &params
            ),
            "3 rows of reviews.csv cost £12.50; {{missing}}"
        );
        assert_eq!(
            said("{{file}} {{unclosed", &params),
            "reviews.csv {{unclosed"
        );
    }

    #[test]
    fn a_count_chooses_the_plural_form() {
        let forms = |key: &str| match key {
            "ns:rows_one" => Some("one row"),
            "ns:rows_other" => Some("{{count}} rows"),
            "ns:plain" => Some("plain"),
            _ => None,
        };
        assert_eq!(plural_form("ns:rows", Some(1.0), forms), Some("one row"));
        assert_eq!(
            plural_form("ns:rows", Some(0.0), forms),
            Some("{{count}} rows")
        );
        assert_eq!(plural_form("ns:plain", Some(2.0), forms), Some("plain"));
        assert_eq!(plural_form("ns:plain", None, forms), Some("plain"));
    }

    #[test]
    fn a_sentence_inside_another_crosses_as_its_key_and_values() {
        let inner = text!("errors:studyStep.noBatch");
        let value = TextValue::from(inner.clone());
        assert_eq!(value.to_string(), inner.to_string());
        assert_eq!(
            serde_json::to_value(&value).unwrap_or_default(),
            serde_json::json!({ "key": "errors:studyStep.noBatch", "params": {} })
        );
    }

    #[test]
    fn a_list_is_joined_as_english_does_and_crosses_as_an_array() {
        let list =
            |items: Vec<TextValue>| BTreeMap::from([("items".to_owned(), TextValue::List(items))]);
        let numbers = list(vec![1_u32.into(), 2_u32.into(), 3_000_u32.into()]);
        assert_eq!(said("{{items, list}}", &numbers), "1, 2 and 3,000");
        assert_eq!(
            said("{{items, list(useGrouping: false)}}", &numbers),
            "1, 2 and 3000"
        );
        assert_eq!(said("{{items, list}}", &list(vec!["A".into()])), "A");
        assert_eq!(
            said("{{items, list}}", &list(vec!["A".into(), "B".into()])),
            "A and B"
        );
        assert_eq!(said("{{items, list}}", &list(Vec::new())), "");
        assert_eq!(
            serde_json::to_value(TextValue::from(vec!["A", "B"])).unwrap_or_default(),
            serde_json::json!(["A", "B"])
        );
    }

    #[test]
    fn a_number_formatted_as_one_is_grouped_in_thousands() {
        let params = BTreeMap::from([("count".to_owned(), TextValue::from(1_234_567_u32))]);
        assert_eq!(
            said("{{count, number}} and {{count}}", &params),
            "1,234,567 and 1234567"
        );
        assert_eq!(grouped(-1234.5), "-1,234.5");
        assert_eq!(grouped(999.0), "999");
    }

    #[test]
    fn money_in_english_reads_as_a_researcher_reads_it() {
        assert_eq!(money_from(1250, "GBP"), "£12.50");
        assert_eq!(money_from(-5, "USD"), "$0.00");
        assert_eq!(money_from(120, "EUR"), "1.20 EUR");
        assert_eq!(money(1250, "GBP"), "£12.50");
    }

    #[test]
    fn money_crosses_as_minor_units_and_its_currency() {
        let value = TextValue::Money {
            minor: 1250,
            currency: "GBP".to_owned(),
        };
        assert_eq!(
            serde_json::to_value(&value).unwrap_or_default(),
            serde_json::json!({ "minor": 1250, "currency": "GBP" })
        );
        assert_eq!(TextValue::from(f64::NAN), TextValue::Number(0.0));
    }
}
