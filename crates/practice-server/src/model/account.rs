//! The researcher's workspace and projects (API-NOTES §8).

use serde_json::{Value, json};

use crate::{PracticeWorkspace, Researcher};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Workspace {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) owner: Researcher,
    pub(crate) wallet: String,
    pub(crate) currency_code: String,
    /// Total balance in minor units (pence or cents).
    pub(crate) balance: i64,
    /// Funds locked by published studies; not available for new ones.
    pub(crate) committed: i64,
    /// Whether V4 (schema) datasets may be made here: a per-workspace feature on
    /// Prolific. Set from `PracticeWorkspace` at every start.
    pub(crate) typed_datasets: bool,
    /// Whether test participants and test studies are enabled here (API-NOTES §10).
    /// Set from `PracticeWorkspace` at every start.
    pub(crate) test_participants: bool,
    /// Whether batches may carry a `batch_items` layout. Always so on Prolific today;
    /// off, a create with a layout is refused, to rehearse the legacy instructions.
    /// Set from `PracticeWorkspace` at every start.
    #[serde(default = "enabled")]
    pub(crate) batch_layouts: bool,
    /// A number from 0 to 1, or none (Prolific's default).
    #[serde(default)]
    pub(crate) naivety_distribution_rate: Option<f64>,
    /// How long simulated participants take against a study's estimate, in percent
    /// (100: as long as estimated). A practice control, not Prolific's.
    #[serde(default = "as_estimated")]
    pub(crate) time_factor_percent: u32,
    /// The kinds of people in the pool, in percent (see `kinds`); none: everyone
    /// answers as before kinds. A practice control, not Prolific's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) crowd_mix: Option<crate::kinds::CrowdMix>,
}

fn enabled() -> bool {
    true
}

fn as_estimated() -> u32 {
    100
}

impl Workspace {
    pub(crate) fn practice(
        seed: &PracticeWorkspace,
        owner: &Researcher,
        crowd_mix: Option<crate::kinds::CrowdMix>,
    ) -> Self {
        Self {
            id: seed.id.clone(),
            title: seed.title.clone(),
            description: "A workspace for rehearsing. Nothing here costs money.".to_owned(),
            owner: owner.clone(),
            wallet: crate::ids::object_id(),
            currency_code: seed.currency_code.clone(),
            balance: seed.balance,
            committed: 0,
            typed_datasets: seed.typed_datasets,
            test_participants: seed.test_participants,
            batch_layouts: seed.batch_layouts,
            naivety_distribution_rate: None,
            time_factor_percent: as_estimated(),
            crowd_mix,
        }
    }

    /// The researcher as a `WorkspaceUser`, the only member.
    pub(crate) fn users_json(&self, role: &str) -> Value {
        let owner = &self.owner;
        json!([{
            "id": owner.id,
            "name": format!("{} {}", owner.first_name, owner.last_name),
            "email": owner.email,
            "roles": [role],
        }])
    }

    /// `WorkspaceShort`, as listed by `GET /workspaces/`.
    pub(crate) fn short_json(&self) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "owner": self.owner.id,
            "users": self.users_json("WORKSPACE_ADMIN"),
            "naivety_distribution_rate": self.naivety_distribution_rate,
        })
    }

    /// `Workspace`, with its projects.
    pub(crate) fn full_json<'a>(&self, projects: impl Iterator<Item = &'a Project>) -> Value {
        let mut workspace = self.short_json();
        workspace["projects"] = projects.map(|project| project.short_json(self)).collect();
        workspace["wallet"] = json!(self.wallet);
        workspace
    }

    /// Pays `amount` of locked funds out of the balance.
    pub(crate) fn pay(&mut self, amount: i64) {
        self.balance -= amount;
        self.release(amount);
    }

    /// Pays `amount` from what is available, for spending nothing was locked for (a
    /// bonus). The caller has checked that it is available.
    pub(crate) fn spend(&mut self, amount: i64) {
        self.balance -= amount;
    }

    /// Unlocks `amount` without spending it.
    pub(crate) fn release(&mut self, amount: i64) {
        self.committed = (self.committed - amount).max(0);
    }

    /// What published studies have not locked.
    pub(crate) fn available(&self) -> i64 {
        self.balance - self.committed
    }

    /// `WorkspaceBalance`. Funds locked by published studies are not available. Each
    /// breakdown splits its total the way Prolific's fees do: rewards, a service fee of
    /// a third of rewards, and VAT at 20% of the fee (total = rewards × 1.4).
    pub(crate) fn balance_json(&self) -> Value {
        let breakdown = |total: i64| {
            let rewards = total * 5 / 7;
            let fees = rewards / 3;
            let vat = total - rewards - fees;
            json!({ "rewards": rewards, "fees": fees, "vat": vat })
        };
        json!({
            "currency_code": self.currency_code,
            "total_balance": self.balance,
            "balance_breakdown": breakdown(self.balance),
            "available_balance": self.available(),
            "available_balance_breakdown": breakdown(self.available()),
        })
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Project {
    pub(crate) id: String,
    pub(crate) workspace_id: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) owner: String,
    /// `PRIVATE` or `PUBLIC`.
    pub(crate) kind: String,
    pub(crate) public_details: Value,
    pub(crate) naivety_distribution_rate: Option<f64>,
    pub(crate) is_longitudinal: bool,
}

impl Project {
    pub(crate) fn default_for(workspace: &Workspace, seed: &PracticeWorkspace) -> Self {
        Self {
            id: seed.default_project_id.clone(),
            workspace_id: workspace.id.clone(),
            title: seed.default_project_title.clone(),
            description: String::new(),
            owner: workspace.owner.id.clone(),
            kind: "PRIVATE".to_owned(),
            public_details: Value::Null,
            naivety_distribution_rate: None,
            is_longitudinal: false,
        }
    }

    /// `ProjectShort`.
    pub(crate) fn short_json(&self, workspace: &Workspace) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "owner": self.owner,
            "type": self.kind,
            "public_details": self.public_details,
            "users": workspace.users_json("PROJECT_EDITOR"),
            "naivety_distribution_rate": self.naivety_distribution_rate,
        })
    }

    /// `Project`, as returned on create.
    pub(crate) fn full_json(&self, workspace: &Workspace) -> Value {
        let mut project = self.short_json(workspace);
        project["workspace"] = json!(self.workspace_id);
        project["is_longitudinal"] = json!(self.is_longitudinal);
        project
    }
}

/// A test participant made by `POST /api/v1/researchers/participants/`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct TestParticipant {
    pub(crate) id: String,
    pub(crate) email: String,
}
