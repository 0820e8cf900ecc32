//! A later study's settings from an earlier study as Prolific has it: the same public
//! title and description, time, reward per submission, devices, project, approval and
//! audience. Read from Prolific rather than from the wizard's draft, which may have
//! moved on to another batch since.

use batchdesk_prolific::models::{Study, StudyFilter};

use crate::study::settings::{Approval, AudienceFilter, Device, StudySettings};

/// `study`'s settings with `people_per_item` and `internal_name`; `None` when Prolific's
/// answer lacks the reward or the time (a study Batchdesk cannot price the same way).
pub(crate) fn derived(
    study: &Study,
    people_per_item: u32,
    internal_name: String,
) -> Option<StudySettings> {
    let reward = u32::try_from(study.reward?).ok()?;
    let estimated_minutes = u32::try_from(study.estimated_completion_time?).ok()?;
    let devices = study
        .device_compatibility
        .as_deref()
        .map(|names| names.iter().filter_map(|name| device(name)).collect())
        .filter(|devices: &Vec<Device>| !devices.is_empty())
        .unwrap_or_else(|| vec![Device::Desktop, Device::Mobile, Device::Tablet]);
    let approval = study
        .completion_codes
        .as_ref()
        .and_then(|codes| codes.iter().find(|code| code.code_type == "COMPLETED"))
        .and_then(|code| code.actions.first())
        .and_then(|action| serde_json::to_value(&action.action).ok())
        .filter(|action| action.as_str() == Some("AUTOMATICALLY_APPROVE"))
        .map_or(Approval::Review, |_| Approval::Automatic);
    Some(StudySettings {
        title: study.name.trim().to_owned(),
        description: study
            .description
            .clone()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        internal_name,
        estimated_minutes,
        max_minutes: study
            .maximum_allowed_time
            .and_then(|minutes| u32::try_from(minutes).ok()),
        reward,
        people_per_item,
        devices,
        project_id: study.project.clone(),
        approval,
        filters: study
            .filters
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter_map(audience_filter)
            .collect(),
    })
}

fn device(name: &str) -> Option<Device> {
    [Device::Desktop, Device::Mobile, Device::Tablet]
        .into_iter()
        .find(|device| device.api_name() == name)
}

/// A select or range filter as the settings hold it; a group of filters (which the
/// wizard never makes) is left out.
fn audience_filter(filter: &StudyFilter) -> Option<AudienceFilter> {
    if let Some(values) = &filter.selected_values {
        return Some(AudienceFilter::Select {
            filter_id: filter.filter_id.clone(),
            values: values.clone(),
        });
    }
    let range = filter.selected_range.as_ref()?;
    Some(AudienceFilter::Range {
        filter_id: filter.filter_id.clone(),
        lower: range.lower.as_ref().and_then(serde_json::Value::as_f64),
        upper: range.upper.as_ref().and_then(serde_json::Value::as_f64),
    })
}
