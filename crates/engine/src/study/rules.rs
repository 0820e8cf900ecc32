//! The study settings against Prolific's rules (API-NOTES §7.1), said plainly and put on
//! the field they concern, before anything is sent.

use super::settings::{AudienceFilter, HourlyRates, SettingsIssue, StudyFacts, StudySettings};
use crate::text;
use crate::text::Text;

/// Prolific's lowest maximum time: `2 + 2·t + 2·√t` minutes for an estimated `t`.
pub fn minimum_max_minutes(estimated: u32) -> u32 {
    let t = f64::from(estimated.max(1));
    // Whole minutes, rounded up so the minimum is never undercut.
    (2.0 + 2.0 * t + 2.0 * t.sqrt()).ceil() as u32
}

/// Batchdesk's default maximum time: three times the estimate, and never below
/// Prolific's minimum, so a slow participant is not timed out for being careful.
pub fn default_max_minutes(estimated: u32) -> u32 {
    estimated
        .saturating_mul(3)
        .max(minimum_max_minutes(estimated))
}

/// Reward per hour (minor units) of `reward` for `minutes` of work, to the nearest
/// penny or cent (halves up), as the form shows it.
pub fn hourly_rate(reward: u32, minutes: u32) -> u32 {
    let minutes = u64::from(minutes.max(1));
    u32::try_from((u64::from(reward) * 60 + minutes / 2) / minutes).unwrap_or(u32::MAX)
}

/// The smallest reward (minor units) for `minutes` of work that pays at least `hourly`
/// per hour: rounded up to a whole penny or cent.
pub fn reward_for_hourly(hourly: u32, minutes: u32) -> u32 {
    u32::try_from((u64::from(hourly) * u64::from(minutes)).div_ceil(60)).unwrap_or(u32::MAX)
}

/// The hourly rate of `reward` for `minutes`, and the reward paying `recommended_hourly`,
/// for the form; with no minutes yet, both are 0.
pub fn hourly_rates(reward: u32, minutes: u32, recommended_hourly: Option<u32>) -> HourlyRates {
    HourlyRates {
        hourly: if minutes == 0 {
            0
        } else {
            hourly_rate(reward, minutes)
        },
        recommended_reward: recommended_hourly.map(|hourly| reward_for_hourly(hourly, minutes)),
    }
}

/// The facts of `settings` for a batch of `assignments`.
pub fn facts(
    settings: &StudySettings,
    assignments: u32,
    currency: &str,
    recommended_hourly: Option<u32>,
    minimum_hourly: Option<u32>,
) -> StudyFacts {
    StudyFacts {
        assignments,
        places: assignments.saturating_mul(settings.people_per_item),
        currency: currency.to_owned(),
        hourly_rate: hourly_rate(settings.reward, settings.estimated_minutes),
        recommended_hourly,
        minimum_hourly,
        default_max_minutes: default_max_minutes(settings.estimated_minutes),
        minimum_max_minutes: minimum_max_minutes(settings.estimated_minutes),
    }
}

/// Every problem in `settings`; empty means the study can be made.
pub fn check(settings: &StudySettings, facts: &StudyFacts) -> Vec<SettingsIssue> {
    let mut issues = Vec::new();
    let mut problem = |field: &str, message: Text| issues.push(SettingsIssue::new(field, message));
    if settings.title.trim().is_empty() {
        problem("title", text!("checks:settings.noTitle"));
    }
    if settings.description.trim().is_empty() {
        problem("description", text!("checks:settings.noDescription"));
    }
    if settings.internal_name.trim().is_empty() {
        problem("internalName", text!("checks:settings.noInternalName"));
    }
    if settings.estimated_minutes == 0 {
        problem("estimatedMinutes", text!("checks:settings.noEstimate"));
    }
    if let Some(max) = settings.max_minutes
        && max < facts.minimum_max_minutes
    {
        problem(
            "maxMinutes",
            text!(
                "checks:settings.maxMinutesTooShort",
                minimum = facts.minimum_max_minutes,
                estimated = settings.estimated_minutes
            ),
        );
    }
    if settings.reward == 0 {
        problem("reward", text!("checks:settings.noReward"));
    } else if let Some(minimum) = facts.minimum_hourly
        && facts.hourly_rate < minimum
    {
        problem(
            "reward",
            text!("checks:settings.belowMinimumPay")
                .with_money("hourly", i64::from(facts.hourly_rate), &facts.currency)
                .with_money("minimum", i64::from(minimum), &facts.currency),
        );
    }
    if settings.people_per_item == 0 {
        problem("peoplePerItem", text!("checks:settings.noPeople"));
    }
    if settings.devices.is_empty() {
        problem("devices", text!("checks:settings.noDevices"));
    }
    if settings.project_id.is_none() {
        problem("projectId", text!("checks:settings.noProject"));
    }
    for filter in &settings.filters {
        match filter {
            AudienceFilter::Select { values, .. } if values.is_empty() => {
                problem("audience", text!("checks:settings.filterWithoutChoice"))
            }
            AudienceFilter::Range {
                lower: Some(lower),
                upper: Some(upper),
                ..
            } if lower > upper => problem(
                "audience",
                text!(
                    "checks:settings.rangeBackwards",
                    lower = *lower,
                    upper = *upper
                ),
            ),
            _ => {}
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prolifics_minimum_time_follows_its_formula() {
        // 2 + 2·10 + 2·√10 = 28.32…
        assert_eq!(minimum_max_minutes(10), 29);
        assert_eq!(minimum_max_minutes(1), 6);
        assert_eq!(default_max_minutes(10), 30);
        assert_eq!(default_max_minutes(1), 6);
    }

    #[test]
    fn the_hourly_rate_is_per_hour_of_the_estimate() {
        assert_eq!(hourly_rate(150, 10), 900);
        assert_eq!(hourly_rate(100, 0), 6000, "no division by zero");
    }

    #[test]
    fn the_form_s_rates_round_as_it_shows_them() {
        assert_eq!(hourly_rate(100, 7), 857, "to the nearest penny");
        assert_eq!(reward_for_hourly(900, 10), 150);
        assert_eq!(
            reward_for_hourly(800, 7),
            94,
            "rounded up: never under the rate"
        );
        assert!(hourly_rate(reward_for_hourly(800, 7), 7) >= 800);
        let rates = hourly_rates(150, 10, Some(900));
        assert_eq!((rates.hourly, rates.recommended_reward), (900, Some(150)));
        let unknown = hourly_rates(100, 0, None);
        assert_eq!(
            (unknown.hourly, unknown.recommended_reward),
            (0, None),
            "no minutes, no rate"
        );
    }
}
