//! Wizard step 3: the study's settings ([`settings`]) and Prolific's rules for them
//! ([`rules`]). The step's flow (audience, price, launch) is [`crate::study_step`].

pub mod rules;
pub mod settings;
pub mod terms;
