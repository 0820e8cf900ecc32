//! The flagged and to-review item lists a page at a time: the summary carries only their
//! first items ([`crate::analysis::item_lists`]), the rest is read from the study held
//! in memory when the researcher asks for more.

use super::{Results, ResultsError};
use crate::analysis::item_lists::{self, ItemList, ItemsPage};

impl Results {
    /// Up to `limit` items of one question's list from `offset`, in the list's order.
    /// A question without such a list (not a choice question, or unknown) has none.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn item_list(
        &self,
        study_id: &str,
        question_id: &str,
        list: ItemList,
        offset: u32,
        limit: u32,
    ) -> Result<ItemsPage, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let items = loaded
            .summary
            .analysis
            .questions
            .iter()
            .find(|question| question.question_id == question_id)
            .map_or(&[][..], |question| &question.items[..]);
        Ok(item_lists::page(items, list, offset, limit))
    }
}
