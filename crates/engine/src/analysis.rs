//! Results analysis (filled in by issue 9): agreement between participants per question
//! and per item (Krippendorff's alpha for nominal data, percent agreement) and
//! majority-vote consolidated labels with their support.

/// Agreement for one question across all items that several people answered.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionAgreement {
    pub question_id: String,
    /// `None` when too few items had two or more answers to compute it.
    pub krippendorff_alpha: Option<f64>,
    pub percent_agreement: Option<f64>,
    pub items_rated: u32,
}
