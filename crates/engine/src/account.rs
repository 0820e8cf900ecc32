//! What the Account page shows: who is connected, their workspaces, the chosen
//! workspace's projects and balance. Choices are remembered per mode (practice or
//! Prolific), so switching between them never mixes their data.

use batchdesk_prolific::models::{Project, Workspace};
use serde::Serialize;
use specta::Type;

use crate::connection::{AccountMode, ConnectError, Connections};
use crate::session::Session;
use crate::store::Store;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
pub struct Choice {
    pub id: String,
    pub title: String,
}

impl From<Workspace> for Choice {
    fn from(workspace: Workspace) -> Self {
        Self {
            id: workspace.id,
            title: workspace.title,
        }
    }
}

impl From<Project> for Choice {
    fn from(project: Project) -> Self {
        Self {
            id: project.id,
            title: project.title,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Workspaces {
    pub mode: AccountMode,
    pub workspaces: Vec<Choice>,
    /// The remembered workspace, or the first one when none was chosen yet.
    pub chosen: Option<String>,
    /// Prolific said there are more workspaces than it sent.
    pub possibly_truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceDetails {
    pub workspace_id: String,
    pub projects: Vec<Choice>,
    /// The remembered project in this workspace, or the first one.
    pub chosen_project: Option<String>,
    pub currency_code: String,
    /// Minor units (pence, cents). Typed `number` for TypeScript (the generator is told
    /// `i32` because it refuses `i64`); JSON carries the full value, exact up to 2^53.
    #[specta(type = i32)]
    pub available_balance: i64,
    #[specta(type = i32)]
    pub total_balance: i64,
}

fn workspace_key(mode: AccountMode) -> String {
    format!("{}.workspace", mode.key())
}

fn project_key(mode: AccountMode, workspace_id: &str) -> String {
    format!("{}.project.{workspace_id}", mode.key())
}

/// The workspaces of the connected account, with the remembered (or first) one chosen.
pub async fn workspaces(connections: &Connections) -> Result<Workspaces, ConnectError> {
    workspaces_of(&Session::current(connections).await?).await
}

/// The workspaces of a session's account (see [`workspaces`]).
pub async fn workspaces_of(session: &Session) -> Result<Workspaces, ConnectError> {
    let mode = session.mode;
    let listed = session.client.workspaces().await?;
    let workspaces: Vec<Choice> = listed.items.into_iter().map(Choice::from).collect();
    let chosen = remembered_or_first(&session.store, &workspace_key(mode), &workspaces)?;
    Ok(Workspaces {
        mode,
        workspaces,
        chosen,
        possibly_truncated: listed.possibly_truncated,
    })
}

/// Balance and projects of one workspace.
pub async fn workspace_details(
    connections: &Connections,
    workspace_id: &str,
) -> Result<WorkspaceDetails, ConnectError> {
    workspace_details_of(&Session::current(connections).await?, workspace_id).await
}

/// Balance and projects of one workspace of a session's account.
pub async fn workspace_details_of(
    session: &Session,
    workspace_id: &str,
) -> Result<WorkspaceDetails, ConnectError> {
    let client = &session.client;
    let (balance, projects) = tokio::try_join!(
        client.workspace_balance(workspace_id),
        client.projects(workspace_id)
    )?;
    let projects: Vec<Choice> = projects.items.into_iter().map(Choice::from).collect();
    let chosen_project = remembered_or_first(
        &session.store,
        &project_key(session.mode, workspace_id),
        &projects,
    )?;
    Ok(WorkspaceDetails {
        workspace_id: workspace_id.to_owned(),
        projects,
        chosen_project,
        currency_code: balance.currency_code,
        available_balance: balance.available_balance,
        total_balance: balance.total_balance,
    })
}

pub async fn choose_workspace(
    connections: &Connections,
    workspace_id: &str,
) -> Result<(), ConnectError> {
    let (mode, _) = connections.client().await?;
    Ok(connections
        .store()
        .set_setting(&workspace_key(mode), workspace_id)?)
}

pub async fn choose_project(
    connections: &Connections,
    workspace_id: &str,
    project_id: &str,
) -> Result<(), ConnectError> {
    let (mode, _) = connections.client().await?;
    Ok(connections
        .store()
        .set_setting(&project_key(mode, workspace_id), project_id)?)
}

/// Creates a project and chooses it.
pub async fn create_project(
    connections: &Connections,
    workspace_id: &str,
    title: &str,
) -> Result<Choice, ConnectError> {
    let (mode, client) = connections.client().await?;
    let project = Choice::from(client.create_project(workspace_id, title.trim()).await?);
    connections
        .store()
        .set_setting(&project_key(mode, workspace_id), &project.id)?;
    Ok(project)
}

fn remembered_or_first(
    store: &Store,
    key: &str,
    choices: &[Choice],
) -> Result<Option<String>, ConnectError> {
    let remembered = store.setting(key)?;
    Ok(remembered
        .filter(|id| choices.iter().any(|choice| &choice.id == id))
        .or_else(|| choices.first().map(|choice| choice.id.clone())))
}
