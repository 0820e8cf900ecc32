//! Results analysis (issue 9): Prolific's responses read into a compact model
//! ([`model`], [`parse`]), agreement between participants per question and per item
//! ([`agreement`]: Krippendorff's alpha for nominal data, pairwise percent agreement,
//! majority share), majority-vote consolidated labels with their support and option
//! counts ([`consolidate`]), and the tidy CSV a researcher takes home ([`tidy`]).

pub mod model;
pub mod parse;

pub use model::{
    Answer, AnswerValue, ChoiceSetId, ItemId, NewAnswer, ParticipantId, Question, QuestionKind,
    ResponseSet, ResponseSetBuilder,
};
pub use parse::{ParseError, read_responses_json, read_responses_jsonl};
