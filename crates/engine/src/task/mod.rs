//! Wizard step 2: the researcher's task. [`design`] is what the wizard edits, [`rules`]
//! checks it against Prolific's rules and the data, [`layout`] turns it into Prolific's
//! `batch_items` (and Prolific's complaints back onto the design), [`html`] keeps the
//! task's HTML inert, and [`templates`] holds the built-in starting points and the
//! template files researchers share.

pub mod checks;
pub mod design;
pub mod html;
pub mod layout;
pub mod rules;
pub mod templates;

pub use design::{DesignIssue, IssueSection, TaskDesign};
pub use rules::{ColumnProfile, DataContext, check};
