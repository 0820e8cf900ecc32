//! What Prolific answers, typed leniently: unknown fields are ignored, optional ones
//! default, so a new field on Prolific's side never breaks the app.

use serde::Deserialize;

/// `GET /api/v1/users/me/`. The spec requires only `id` and `email`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl User {
    /// The name to greet the researcher with, falling back to their email.
    pub fn display_name(&self) -> String {
        if let Some(name) = self.name.as_deref().filter(|name| !name.trim().is_empty()) {
            return name.to_owned();
        }
        let joined = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if joined.trim().is_empty() {
            self.email.clone()
        } else {
            joined
        }
    }
}
