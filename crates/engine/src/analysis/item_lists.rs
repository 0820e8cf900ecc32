//! The two lists of items a researcher reads on the results page: items flagged by the
//! majority vote (people disagreed, or the top answers tied) and items the model-based
//! consensus asks to review. Which items belong, and in which order, is decided here
//! only; the page receives the first few of each with the list's length, and asks for
//! more a page at a time ([`page`]), so a study of a million answers never sends every
//! item to the webview (issue 21's memory goal).

use serde::{Deserialize, Serialize};
use specta::Type;

use super::ItemResult;
use super::consensus::summary::LOW_CONFIDENCE;

/// How many items of each list the results summary carries.
pub const PREVIEW_ITEMS: usize = 20;
/// The most items one [`page`] hands out.
pub const MOST_PER_PAGE: u32 = 500;

/// Which list of items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ItemList {
    /// People disagreed, or the top answers tied; in item order.
    Flagged,
    /// The model and the majority vote part ways, the vote tied, or the model is below
    /// [`LOW_CONFIDENCE`]; least confident first. Items whose answer was known are not in it.
    ToReview,
}

/// The first items of a list and how many it has.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemsPreview {
    pub total: u32,
    pub first: Vec<ItemResult>,
}

/// Part of a list, from `offset`.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemsPage {
    pub total: u32,
    pub offset: u32,
    pub items: Vec<ItemResult>,
}

/// An item that needs a look: people disagreed, or the top answers tied.
#[must_use]
pub fn is_flagged(item: &ItemResult) -> bool {
    item.agreement.low_agreement || item.consolidated.is_tie()
}

/// An item worth reviewing under the model: it differs from the majority (a tie
/// included), or the model is unsure of it. Known answers are never reviewed.
#[must_use]
pub fn is_to_review(item: &ItemResult) -> bool {
    item.consensus.as_ref().is_some_and(|consensus| {
        !consensus.known
            && (item.consolidated.label.as_deref() != Some(consensus.label.as_str())
                || consensus.confidence < LOW_CONFIDENCE)
    })
}

/// The list's items in its order (see [`ItemList`]).
#[must_use]
pub fn members(items: &[ItemResult], list: ItemList) -> Vec<&ItemResult> {
    match list {
        ItemList::Flagged => items.iter().filter(|item| is_flagged(item)).collect(),
        ItemList::ToReview => {
            let mut review: Vec<&ItemResult> =
                items.iter().filter(|item| is_to_review(item)).collect();
            let confidence =
                |item: &ItemResult| item.consensus.as_ref().map_or(0.0, |c| c.confidence);
            review.sort_by(|a, b| {
                confidence(a)
                    .total_cmp(&confidence(b))
                    .then_with(|| a.item.cmp(&b.item))
            });
            review
        }
    }
}

/// The list's first [`PREVIEW_ITEMS`] and its length.
#[must_use]
pub fn preview(items: &[ItemResult], list: ItemList) -> ItemsPreview {
    let members = members(items, list);
    ItemsPreview {
        total: super::saturating_u32(members.len()),
        first: members.into_iter().take(PREVIEW_ITEMS).cloned().collect(),
    }
}

/// Up to `limit` items of the list from `offset` (at most [`MOST_PER_PAGE`]); empty past
/// its end.
#[must_use]
pub fn page(items: &[ItemResult], list: ItemList, offset: u32, limit: u32) -> ItemsPage {
    let members = members(items, list);
    ItemsPage {
        total: super::saturating_u32(members.len()),
        offset,
        items: members
            .into_iter()
            .skip(offset as usize)
            .take(limit.min(MOST_PER_PAGE) as usize)
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{ConsolidatedLabel, ItemAgreement, ItemConsensus};

    fn item(
        number: u32,
        majority: Option<&str>,
        low_agreement: bool,
        consensus: Option<(&str, f64, bool)>,
    ) -> ItemResult {
        ItemResult {
            item: number,
            task_id: format!("t{number}"),
            consolidated: ConsolidatedLabel {
                label: majority.map(str::to_owned),
                tied_labels: if majority.is_none() {
                    vec!["a".into(), "b".into()]
                } else {
                    Vec::new()
                },
                leader_votes: 1,
                votes_cast: 2,
                support: Some(0.5),
            },
            agreement: ItemAgreement {
                answers: 2,
                percent_agreement: Some(0.0),
                majority_share: Some(0.5),
                low_agreement,
            },
            consensus: consensus.map(|(label, confidence, known)| ItemConsensus {
                label: label.into(),
                confidence,
                mace_label: label.into(),
                mace_confidence: confidence,
                known,
            }),
        }
    }

    fn numbers(list: &[&ItemResult]) -> Vec<u32> {
        list.iter().map(|item| item.item).collect()
    }

    #[test]
    fn flagged_items_are_disagreements_and_ties_in_item_order() {
        let items = [
            item(0, Some("a"), false, None),
            item(1, None, false, None),
            item(2, Some("b"), true, None),
            item(3, Some("b"), false, None),
        ];
        assert_eq!(numbers(&members(&items, ItemList::Flagged)), [1, 2]);
    }

    #[test]
    fn review_lists_unsure_or_differing_items_least_confident_first_never_known_ones() {
        let items = [
            item(0, Some("a"), false, Some(("a", 0.99, false))), // sure and agrees: not listed
            item(1, Some("a"), false, Some(("b", 0.95, false))), // differs from the majority
            item(2, Some("a"), false, Some(("a", 0.5, false))),  // unsure
            item(3, None, false, Some(("a", 0.9, false))),       // a tie the model settled
            item(4, Some("a"), false, Some(("b", 0.1, true))),   // known: never reviewed
            item(5, Some("a"), false, Some(("a", 0.5, false))),  // unsure, same confidence as 2
            item(6, Some("a"), false, None),                     // no model: not listed
        ];
        assert_eq!(numbers(&members(&items, ItemList::ToReview)), [2, 5, 3, 1]);
    }

    #[test]
    fn a_preview_holds_the_first_items_and_pages_follow_on_without_overlap() {
        let items: Vec<ItemResult> = (0..55).map(|n| item(n, None, false, None)).collect();
        let preview = preview(&items, ItemList::Flagged);
        assert_eq!(preview.total, 55);
        assert_eq!(preview.first.len(), PREVIEW_ITEMS);
        let next = page(&items, ItemList::Flagged, 20, 30);
        assert_eq!((next.total, next.offset, next.items.len()), (55, 20, 30));
        assert_eq!(next.items.first().map(|item| item.item), Some(20));
        let last = page(&items, ItemList::Flagged, 50, 30);
        assert_eq!(
            last.items.iter().map(|item| item.item).collect::<Vec<_>>(),
            [50, 51, 52, 53, 54]
        );
        assert!(page(&items, ItemList::Flagged, 60, 30).items.is_empty());
        assert_eq!(page(&items, ItemList::Flagged, 0, 10_000).items.len(), 55);
    }
}
