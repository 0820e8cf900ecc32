//! The practice server's in-memory data: one researcher's workspace, its projects, and the
//! Task Builder datasets and batches made in it. It lives behind a `std::sync::Mutex` in
//! `ServerState`; handlers lock it, work synchronously and let go before any `.await`.

mod account;
mod batch;
mod bonus;
mod dataset;
mod participant_group;
mod study;

use std::collections::HashMap;

use uuid::Uuid;

pub(crate) use account::{Project, TestParticipant, Workspace};
pub(crate) use batch::{Batch, BatchSetup, TaskDetails};
pub(crate) use bonus::{BonusRow, BulkBonus, Message};
pub(crate) use dataset::{
    Dataset, DatasetContent, ImportJob, PendingUpload, V3Content, V3Upload, V4Content,
};
pub(crate) use participant_group::ParticipantGroup;
pub(crate) use study::{
    DemographicExports, ReturnRequest, Review, Stage, Study, Submission, fees_and_vat, total_cost,
};

use crate::blob::Blob;
use crate::seeded::Rng;
use crate::{PracticeConfig, Researcher};

/// An export job: its batch and ZIP (saved once, in a file of its own).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Export {
    pub(crate) batch_id: Uuid,
    pub(crate) zip: Blob<Zip>,
}

/// A ZIP's bytes, written as hex in a saved state so the file stays JSON.
#[derive(Debug)]
pub(crate) struct Zip(pub(crate) Vec<u8>);

impl serde::Serialize for Zip {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex::encode(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Zip {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        hex::decode(text).map(Zip).map_err(serde::de::Error::custom)
    }
}

/// A file made for download (a report or an export), served at its presigned URL.
#[derive(Debug, Clone)]
pub(crate) struct Download {
    pub(crate) content_type: &'static str,
    pub(crate) bytes: Vec<u8>,
    /// Unix seconds.
    pub(crate) expires: i64,
}

#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) researcher: Researcher,
    pub(crate) workspaces: Vec<Workspace>,
    pub(crate) projects: Vec<Project>,
    pub(crate) datasets: Vec<Dataset>,
    pub(crate) batches: Vec<Batch>,
    pub(crate) studies: Vec<Study>,
    /// Draws participant and submission ids, seeded by `PracticeConfig::seed`.
    pub(crate) rng: Rng,
    /// Reports and exports to download, by storage key, until their URL expires.
    pub(crate) downloads: HashMap<String, Download>,
    /// Export jobs (all complete at once), by id.
    pub(crate) exports: HashMap<Uuid, Export>,
    /// Upload URLs handed out and not yet expired from memory, by storage key.
    pub(crate) uploads: HashMap<String, PendingUpload>,
    /// Test participants made by the researcher (API-NOTES §10).
    pub(crate) test_participants: Vec<TestParticipant>,
    /// Participant groups, deleted ones included (Prolific deletes them softly).
    pub(crate) participant_groups: Vec<ParticipantGroup>,
    /// Bulk bonuses set up, paid or not, oldest first.
    pub(crate) bulk_bonuses: Vec<BulkBonus>,
    /// Messages sent, one per recipient, oldest first.
    pub(crate) messages: Vec<Message>,
}

impl Store {
    /// The starting state: the practice workspace with its default project.
    pub(crate) fn seeded(config: &PracticeConfig) -> Self {
        let workspace =
            Workspace::practice(&config.workspace, &config.researcher, config.crowd_mix);
        let project = Project::default_for(&workspace, &config.workspace);
        Self {
            researcher: config.researcher.clone(),
            workspaces: vec![workspace],
            projects: vec![project],
            datasets: Vec::new(),
            batches: Vec::new(),
            studies: Vec::new(),
            rng: Rng::new(config.seed),
            uploads: HashMap::new(),
            downloads: HashMap::new(),
            exports: HashMap::new(),
            test_participants: Vec::new(),
            participant_groups: Vec::new(),
            bulk_bonuses: Vec::new(),
            messages: Vec::new(),
        }
    }

    pub(crate) fn workspace(&self, id: &str) -> Option<&Workspace> {
        self.workspaces.iter().find(|workspace| workspace.id == id)
    }

    pub(crate) fn projects_of<'a>(
        &'a self,
        workspace_id: &'a str,
    ) -> impl Iterator<Item = &'a Project> {
        self.projects
            .iter()
            .filter(move |project| project.workspace_id == workspace_id)
    }

    pub(crate) fn dataset(&self, id: Uuid) -> Option<&Dataset> {
        self.datasets.iter().find(|dataset| dataset.id == id)
    }

    pub(crate) fn dataset_mut(&mut self, id: Uuid) -> Option<&mut Dataset> {
        self.datasets.iter_mut().find(|dataset| dataset.id == id)
    }

    pub(crate) fn batch(&self, id: Uuid) -> Option<&Batch> {
        self.batches.iter().find(|batch| batch.id == id)
    }

    pub(crate) fn study(&self, id: &str) -> Option<&Study> {
        self.studies.iter().find(|study| study.id == id)
    }

    /// How long a workspace's participants take against the estimate, in percent.
    pub(crate) fn time_factor_percent(&self, workspace_id: &str) -> u32 {
        self.workspace(workspace_id)
            .map_or(100, |workspace| workspace.time_factor_percent)
    }

    /// The kinds of people in a workspace's pool, when it has a mix.
    pub(crate) fn crowd_mix(&self, workspace_id: &str) -> Option<crate::kinds::CrowdMix> {
        self.workspace(workspace_id)
            .and_then(|workspace| workspace.crowd_mix)
    }

    pub(crate) fn participant_group(&self, id: &str) -> Option<&ParticipantGroup> {
        self.participant_groups.iter().find(|group| group.id == id)
    }

    pub(crate) fn batch_mut(&mut self, id: Uuid) -> Option<&mut Batch> {
        self.batches.iter_mut().find(|batch| batch.id == id)
    }
}
