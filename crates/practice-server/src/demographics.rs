//! Who the simulated participants are: the few facts Prolific's demographic export
//! gives about each person (age, sex, country of residence, first language, and the
//! rest of its basic fields), drawn once per person from the server's seed, so a person
//! is the same in every study, every export and after a restart.
//!
//! The shares are plausible for an online panel (mostly the United Kingdom and the
//! United States, mostly young adults), not Prolific's figures.

use crate::seeded::mix;

/// One person's basic demographic fields, as the export writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Demographics {
    pub(crate) age: String,
    pub(crate) sex: &'static str,
    pub(crate) ethnicity: &'static str,
    pub(crate) first_language: &'static str,
    pub(crate) country_of_residence: &'static str,
    pub(crate) nationality: &'static str,
    pub(crate) country_of_birth: &'static str,
    pub(crate) student_status: &'static str,
    pub(crate) employment_status: &'static str,
    pub(crate) total_approvals: u64,
}

/// What the export writes for a field whose answer Prolific no longer holds (the
/// person's data expired). About one person in fifty, so a reader must cope with it.
pub(crate) const DATA_EXPIRED: &str = "DATA_EXPIRED";

/// Countries of residence with their share in percent (they add up to 100), and the
/// language most people there speak first.
const COUNTRIES: &[(&str, u64, &str)] = &[
    ("United Kingdom", 38, "English"),
    ("United States", 32, "English"),
    ("Canada", 6, "English"),
    ("South Africa", 4, "English"),
    ("Australia", 3, "English"),
    ("Poland", 4, "Polish"),
    ("Portugal", 3, "Portuguese"),
    ("Germany", 3, "German"),
    ("Italy", 2, "Italian"),
    ("Mexico", 2, "Spanish"),
    ("Spain", 2, "Spanish"),
    ("Netherlands", 1, "Dutch"),
];

/// Other first languages, for the one person in ten whose first language is not the
/// country's.
const OTHER_LANGUAGES: &[&str] = &["Spanish", "Polish", "Hindi", "Chinese", "Arabic", "French"];

const ETHNICITIES: &[(&str, u64)] = &[
    ("White", 70),
    ("Black", 10),
    ("Asian", 10),
    ("Mixed", 6),
    ("Other", 4),
];

const EMPLOYMENT: &[(&str, u64)] = &[
    ("Full-Time", 45),
    ("Part-Time", 20),
    ("Unemployed (and job seeking)", 10),
    ("Not in paid work (e.g. homemaker, retired or disabled)", 15),
    ("Other", 10),
];

/// Ages by band with their share in percent: many young adults, few over 65.
const AGE_BANDS: &[(u64, u64, u64)] = &[
    (18, 24, 20),
    (25, 34, 32),
    (35, 44, 22),
    (45, 54, 14),
    (55, 64, 8),
    (65, 80, 4),
];

/// The demographics of `participant_id` under `seed`.
pub(crate) fn of(seed: u64, participant_id: &str) -> Demographics {
    let draw = |what: &str| mix(&[participant_id, "demographics", what], seed);
    let (country, _, country_language) = *weighted(COUNTRIES, draw("country"), |c| c.1);
    let first_language = if draw("language") % 10 == 0 {
        OTHER_LANGUAGES[index(draw("other language"), OTHER_LANGUAGES.len())]
    } else {
        country_language
    };
    let (low, high, _) = *weighted(AGE_BANDS, draw("age band"), |band| band.2);
    let age = low + draw("age") % (high - low + 1);
    let born_elsewhere = draw("birth") % 8 == 0;
    let country_of_birth = if born_elsewhere {
        COUNTRIES[index(draw("birth country"), COUNTRIES.len())].0
    } else {
        country
    };
    let expired = draw("expired") % 50 == 0;
    let or_expired = |value: &'static str| if expired { DATA_EXPIRED } else { value };
    Demographics {
        age: if expired {
            DATA_EXPIRED.to_owned()
        } else {
            age.to_string()
        },
        sex: or_expired(if draw("sex") % 2 == 0 {
            "Female"
        } else {
            "Male"
        }),
        ethnicity: or_expired(weighted(ETHNICITIES, draw("ethnicity"), |e| e.1).0),
        first_language: or_expired(first_language),
        country_of_residence: or_expired(country),
        nationality: or_expired(country_of_birth),
        country_of_birth: or_expired(country_of_birth),
        student_status: or_expired(if age < 25 && draw("student") % 2 == 0 {
            "Yes"
        } else {
            "No"
        }),
        employment_status: or_expired(weighted(EMPLOYMENT, draw("employment"), |e| e.1).0),
        total_approvals: 5 + draw("approvals") % 900,
    }
}

fn index(draw: u64, len: usize) -> usize {
    usize::try_from(draw % len as u64).unwrap_or(0)
}

/// The entry `draw` lands on when each entry takes its share of 100.
fn weighted<T>(entries: &[T], draw: u64, share: impl Fn(&T) -> u64) -> &T {
    let total: u64 = entries.iter().map(&share).sum();
    let point = draw % total.max(1);
    let mut bound = 0;
    for entry in entries {
        bound += share(entry);
        if point < bound {
            return entry;
        }
    }
    &entries[entries.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_the_same_each_time_and_people_differ() {
        assert_eq!(of(7, "abc"), of(7, "abc"));
        let countries: std::collections::HashSet<_> = (0..200)
            .map(|n| of(7, &format!("person{n}")).country_of_residence)
            .collect();
        assert!(countries.len() > 5, "{countries:?}");
    }

    #[test]
    fn ages_are_adults_and_shares_add_up() {
        assert_eq!(COUNTRIES.iter().map(|c| c.1).sum::<u64>(), 100);
        assert_eq!(AGE_BANDS.iter().map(|b| b.2).sum::<u64>(), 100);
        for n in 0..500 {
            let person = of(3, &format!("p{n}"));
            if person.age != DATA_EXPIRED {
                let age = person.age.parse::<u64>();
                assert!(
                    age.as_ref().is_ok_and(|age| (18..=80).contains(age)),
                    "{age:?}"
                );
            }
        }
    }
}
