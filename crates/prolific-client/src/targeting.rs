//! Who can take part and what it costs, asked before publishing (API-NOTES §7.7, §8).
//! The POSTs here compute an answer and create nothing, so they are retried like reads.

use reqwest::Method;

use crate::models::{
    CostAnswer, CostQuestion, EligibilityAnswer, EligibilityQuery, Filter, FilterSet, Listed,
    RewardRecommendation,
};
use crate::transport::Safety;
use crate::{Client, ProlificError};

impl Client {
    /// `GET /filters/`: the filters Prolific offers, every page.
    pub async fn filters(&self) -> Result<Listed<Filter>, ProlificError> {
        self.list(self.base.join("/api/v1/filters/")).await
    }

    /// `GET /filters/?workspace_id=…`: the filters Prolific offers for a study in this
    /// workspace, every page, with those that need the workspace (its participant
    /// groups as allowlist and blocklist filters, whose choices are the groups).
    pub async fn workspace_filters(
        &self,
        workspace_id: &str,
    ) -> Result<Listed<Filter>, ProlificError> {
        self.list(self.join_query("/api/v1/filters/", &[("workspace_id", workspace_id)])?)
            .await
    }

    /// `GET /filter-sets/?workspace_id=…`: the workspace's saved filter sets.
    pub async fn filter_sets(
        &self,
        workspace_id: &str,
    ) -> Result<Listed<FilterSet>, ProlificError> {
        self.list(self.join_query("/api/v1/filter-sets/", &[("workspace_id", workspace_id)])?)
            .await
    }

    /// `POST /eligibility-count/`: how many participants the filters leave. 0 means
    /// fewer than 25 (Prolific hides small counts).
    pub async fn eligibility_count(&self, query: &EligibilityQuery) -> Result<u64, ProlificError> {
        let answer: EligibilityAnswer = self
            .send_json(
                Safety::Idempotent,
                Method::POST,
                &self.base.join("/api/v1/eligibility-count/"),
                Some(query),
            )
            .await?;
        Ok(u64::try_from(answer.count).unwrap_or(0))
    }

    /// `POST /study-cost-calculator/`: what a study costs in all (rewards, fees and
    /// VAT), in minor units, for `reward` per participant (minor units) and `places`.
    pub async fn study_cost(&self, reward: i64, places: u64) -> Result<i64, ProlificError> {
        let answer: CostAnswer = self
            .send_json(
                Safety::Idempotent,
                Method::POST,
                &self.base.join("/api/v1/study-cost-calculator/"),
                Some(&CostQuestion {
                    reward,
                    total_available_places: places,
                }),
            )
            .await?;
        Ok(answer.total_cost)
    }

    /// `GET /reward-recommendations/?workspace_id=…&currency=GBP|USD`: per hour, in minor
    /// units, newest first.
    pub async fn reward_recommendations(
        &self,
        workspace_id: &str,
        currency: &str,
    ) -> Result<Vec<RewardRecommendation>, ProlificError> {
        let url = self.join_query(
            "/api/v1/reward-recommendations/",
            &[("workspace_id", workspace_id), ("currency", currency)],
        )?;
        self.call_json(Method::GET, &url, None::<&()>).await
    }
}
