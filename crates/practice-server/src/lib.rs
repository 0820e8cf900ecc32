//! The practice server: a local HTTP server that answers like Prolific's API, so that
//! researchers can rehearse without spending money and every test talks to real HTTP.
//!
//! It follows Prolific's published spec (the facts of `openapi-contract/spec/`) for paths,
//! status codes, field names and error shapes, quirks included. It binds to loopback
//! only. It answers the account endpoints; Task Builder datasets (with presigned uploads
//! streamed to its own storage directory), batches, their legacy instructions, responses,
//! CSV report and ZIP export; studies on batches with their submissions; the
//! pre-publish helpers (cost, eligibility, filters, reward recommendations);
//! participant groups, which studies use as allowlist or blocklist filters; bonuses,
//! set up then paid from the workspace's balance (paying twice pays twice, as on
//! Prolific); and messages to participants, kept and listed.
//! `endpoints()` lists every spec route it serves.
//!
//! Work that takes time on Prolific (processing an upload, setting up a batch, people
//! taking part) is recorded with the moments it happens and observed when a client next
//! reads it: processing finishes `processing_delay` after it starts, and once a study is
//! published a simulated participant (ids and answers seeded by `seed`) takes a place
//! every `participant_pace`. `PracticeServer::advance_clock` moves time on for a test.
//!
//! Participants come from a stable pool per workspace (`regular_participants` regulars
//! first), so the same people recur across studies, one place each per study; group
//! filters decide who may take a place (see `crowd`). Each finished submission has a
//! simulated `time_taken` around the study's estimate times the workspace's
//! `time_factor_percent`, since the practice clock itself is compressed.
//!
//! People can differ: with a crowd mix (`PracticeConfig::crowd_mix` or `"crowd_mix"` at
//! `PATCH /_practice/workspace`), each is careful, average, a fast clicker, a
//! straight-liner or a bot in the mix's proportions, answering against each row's hidden
//! truth (a `META_` column naming an option, else the row's data) and taking the time
//! their kind takes, so quality control can be rehearsed and tested (see `kinds`).
//! `GET /_practice/studies/{study_id}/participants` says who was what. Without a mix
//! (the default) participants answer as they always have: a per-task consensus, and a
//! share (`disagreement`) against it.
//!
//! Some participants return their place or time out (`return_share`, `timeout_share`)
//! and someone else takes it. A study can be scheduled (`SCHEDULE_PUBLISH`): it reads
//! `SCHEDULED` until the server's clock reaches `publish_at`. Test runs (a test
//! participant, a free test copy of a draft) work where the workspace has the feature.
//!
//! Faults (rate limits, server errors, slow answers, dropped connections, early-expiring
//! upload URLs, failed processing, export ZIPs laid out otherwise or broken, lists that
//! ignore `page`) can be switched on per route while it runs, through
//! `PracticeServer::faults()` or `POST /_practice/faults`; the workspace's balance and
//! features (typed datasets, test participants), time factor and crowd mix through
//! `PracticeServer::set_balance()` and its siblings or `PATCH /_practice/workspace`
//! (every `/_practice/` route is described in `controls`).
//!
//! Every list is paged by number with a small default page (see `routes/paging.rs`),
//! and answers besides `results` only what its schema in the spec documents.
//!
//! With `PracticeConfig::state_dir`, practice work is saved to `state.json` there after
//! every change and found again on the next start (see `persist`).
//!
//! Where the spec is silent, the practice server chooses, and says so where it does:
//! refusals the spec documents only as "400 Error" (typed datasets or test runs not
//! enabled, no test participant, a schedule in the past) are 400s in the standard shape;
//! a schedule must lie in the future and locks the funds when it is made; a test copy's
//! `study_url` points at the practice server, and its answers stay out of the batch's
//! responses.

mod auth;
mod batch_items;
mod blob;
mod body;
mod clock;
mod controls;
mod crowd;
mod dataset_content;
mod demographics;
mod dropout;
mod error;
mod faults;
mod ids;
mod kinds;
mod model;
mod participants;
mod persist;
mod presign;
mod recruiting;
mod routes;
mod seeded;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use controls::{WorkspaceControls, WorkspaceSettings};
pub use error::ApiError;
pub use faults::{ExportShape, Fault, FaultRule, FaultScope, Faults, Times};
pub use kinds::{CrowdMix, Kind};
pub use routes::{Endpoint, endpoints};

/// How to start a practice server.
#[derive(Clone, Debug)]
pub struct PracticeConfig {
    /// The API token the server accepts. A random one when `None`.
    pub token: Option<String>,
    /// The loopback port; 0 picks a free one.
    pub port: u16,
    /// The practice researcher's identity.
    pub researcher: Researcher,
    /// The researcher's one workspace and its default project.
    pub workspace: PracticeWorkspace,
    /// How long a presigned upload URL stays valid. Zero makes URLs that have already
    /// expired, for testing the refusal.
    pub upload_url_ttl: Duration,
    /// How long processing an upload or setting up a batch takes. Zero means the result
    /// is there by the next read; a long delay holds things in `PROCESSING`.
    pub processing_delay: Duration,
    /// Seeds the simulated participants (their ids and answers), so a run repeats. A
    /// restored state keeps the seed (and disagreement share) it was made with, so its
    /// answers never change.
    pub seed: u64,
    /// How often a simulated participant takes a place once a study is active, and how
    /// long each takes to finish. Zero means every place is taken and finished by the
    /// next read.
    pub participant_pace: Duration,
    /// How many regular participants each workspace's pool has: the people a study
    /// draws its participants from first, so that the same people recur across studies
    /// (see `crowd`). A study reaches the rest of the pool only when every regular has
    /// taken part in it or is kept out by a filter.
    pub regular_participants: u64,
    /// The share of participants (0.0 to 1.0) who answer against the majority, when
    /// there is no crowd mix.
    pub disagreement: f64,
    /// The kinds of people in the workspace's pool, in percent (see `CrowdMix`; they add
    /// up to 100, or the server does not start). `None` (the default): nobody has a kind,
    /// and participants answer as before kinds (a consensus and `disagreement`). A mix
    /// given here applies at every start, over a saved state's; `None` leaves a saved
    /// state's mix (set through `/_practice/workspace`) as it was.
    pub crowd_mix: Option<CrowdMix>,
    /// The share of participants (0.0 to 1.0) who return their place after starting
    /// (`RETURNED`); someone else then takes it.
    pub return_share: f64,
    /// The share of participants (0.0 to 1.0) who run out of time (`TIMED-OUT`); someone
    /// else then takes the place.
    pub timeout_share: f64,
    /// Where practice work is saved so that it survives a restart (`state.json` in this
    /// directory). `None` keeps everything in memory only.
    pub state_dir: Option<PathBuf>,
    /// Strict mode for tests: every request body sent to the API is given to this check
    /// first, and one it finds problems with is refused (400) and logged as an error.
    /// The app's tests pass the spec's request schemas here, so a request the real API
    /// would refuse fails them. `None` in the app.
    pub request_check: Option<RequestCheck>,
}

/// What a request check is given: the method, the path template as the spec writes it,
/// and the body; it answers the problems found, none when the body fits.
pub type CheckRequestBody = dyn Fn(&str, &str, &serde_json::Value) -> Vec<String> + Send + Sync;

/// Checks a request body against what the real API takes (see
/// `PracticeConfig::request_check`).
#[derive(Clone)]
pub struct RequestCheck(pub Arc<CheckRequestBody>);

impl std::fmt::Debug for RequestCheck {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("RequestCheck")
    }
}

impl Default for PracticeConfig {
    fn default() -> Self {
        Self {
            token: None,
            port: 0,
            researcher: Researcher::default(),
            workspace: PracticeWorkspace::default(),
            upload_url_ttl: Duration::from_secs(15 * 60),
            processing_delay: Duration::from_secs(2),
            seed: 0,
            participant_pace: Duration::from_secs(20),
            regular_participants: 500,
            disagreement: 0.2,
            crowd_mix: None,
            return_share: 0.0,
            timeout_share: 0.0,
            state_dir: None,
            request_check: None,
        }
    }
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Researcher {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

impl Default for Researcher {
    fn default() -> Self {
        Self {
            id: "6a3f0c2b9e1d4a5b6c7d8e9f".to_owned(),
            email: "practice.researcher@example.org".to_owned(),
            first_name: "Practice".to_owned(),
            last_name: "Researcher".to_owned(),
        }
    }
}

/// The practice workspace. Its ids are fixed so that a researcher's practice choices
/// survive a restart of the app, even when its data is not saved (no `state_dir`).
#[derive(Clone, Debug)]
pub struct PracticeWorkspace {
    /// A 24-hex ObjectId.
    pub id: String,
    pub title: String,
    /// `GBP` or `USD`.
    pub currency_code: String,
    /// The balance in minor units (pence or cents). With a saved state, the saved
    /// balance wins: it is practice work like any other.
    pub balance: i64,
    pub default_project_id: String,
    pub default_project_title: String,
    /// Whether the workspace may make typed (V4, schema) datasets, a per-workspace
    /// feature on Prolific. Applied at every start, over a saved state.
    pub typed_datasets: bool,
    /// Whether test participants and test studies are enabled (a per-workspace feature
    /// on Prolific, API-NOTES §10). Applied at every start, over a saved state.
    pub test_participants: bool,
    /// Whether batches may carry a `batch_items` layout (off: refused with a 400, as a
    /// workspace without layouts would). Applied at every start, over a saved state.
    pub batch_layouts: bool,
}

impl Default for PracticeWorkspace {
    fn default() -> Self {
        Self {
            id: "6a3f0c2b9e1d4a5b6c7d8e01".to_owned(),
            title: "Practice workspace".to_owned(),
            currency_code: "GBP".to_owned(),
            balance: 100_000,
            default_project_id: "6a3f0c2b9e1d4a5b6c7d8e02".to_owned(),
            default_project_title: "Practice project".to_owned(),
            typed_datasets: true,
            test_participants: true,
            batch_layouts: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("The practice server could not listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("The practice server could not make its storage directory: {0}")]
    Storage(#[source] std::io::Error),
    #[error("The practice server could not use its state directory {path}: {source}")]
    StateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("The practice server's crowd mix is not one it can use: {0}")]
    CrowdMix(String),
}

/// What every request handler can see.
pub(crate) struct ServerState {
    pub(crate) token: String,
    pub(crate) researcher: Researcher,
    /// `http://127.0.0.1:<port>`, the host of presigned upload URLs.
    pub(crate) base_url: String,
    pub(crate) signer: presign::UrlSigner,
    pub(crate) upload_url_ttl: Duration,
    /// `PracticeConfig::seed` (or a restored state's), for answers drawn on read.
    pub(crate) seed: u64,
    /// `PracticeConfig::regular_participants`.
    pub(crate) regular_participants: u64,
    /// `PracticeConfig::disagreement` (or a restored state's) as a whole percentage.
    pub(crate) disagreement_percent: u64,
    /// `PracticeConfig::return_share` and `timeout_share`, as parts per thousand.
    pub(crate) dropout: dropout::Dropout,
    /// `PracticeConfig::processing_delay` in milliseconds; changeable while running.
    processing_delay_ms: AtomicU64,
    /// `PracticeConfig::participant_pace` in milliseconds; changeable while running.
    participant_pace_ms: AtomicU64,
    /// How far this server's clock has been moved on, in milliseconds.
    clock_offset_ms: AtomicU64,
    store: Mutex<model::Store>,
    /// Faults switched on by a test or through `/_practice/faults`.
    pub(crate) faults: Faults,
    /// `PracticeConfig::request_check`.
    pub(crate) request_check: Option<RequestCheck>,
    /// Where uploaded objects are written while they are processed; removed with the
    /// server.
    pub(crate) storage_dir: tempfile::TempDir,
    /// Where practice work is saved, when it is.
    state_file: Option<persist::StateFile>,
}

/// Leaves out the token, the signing secret and the data: a server's `Debug` output may
/// end up in logs.
impl std::fmt::Debug for ServerState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ServerState")
            .field("base_url", &self.base_url)
            .field("upload_url_ttl", &self.upload_url_ttl)
            .field("processing_delay", &self.processing_delay())
            .finish_non_exhaustive()
    }
}

impl ServerState {
    /// Locks the data. Handlers hold the guard only for synchronous work, never across
    /// an `.await`. A panic in another handler does not make the data unusable.
    pub(crate) fn store(&self) -> MutexGuard<'_, model::Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How long work started now takes.
    pub(crate) fn processing_delay(&self) -> Duration {
        Duration::from_millis(self.processing_delay_ms.load(Ordering::Relaxed))
    }

    /// How far this server's clock has been moved on.
    pub(crate) fn clock_offset(&self) -> Duration {
        Duration::from_millis(self.clock_offset_ms.load(Ordering::Relaxed))
    }

    /// How often participants arrive for studies published (or restarted) from now.
    pub(crate) fn participant_pace(&self) -> Duration {
        Duration::from_millis(self.participant_pace_ms.load(Ordering::Relaxed))
    }

    fn set_participant_pace(&self, pace: Duration) {
        let millis = u64::try_from(pace.as_millis()).unwrap_or(u64::MAX);
        self.participant_pace_ms.store(millis, Ordering::Relaxed);
    }

    fn set_processing_delay(&self, delay: Duration) {
        let millis = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.processing_delay_ms.store(millis, Ordering::Relaxed);
    }

    /// Saves the practice state now, when it is kept in a file. Blocking.
    pub(crate) fn save(&self) {
        if let Some(file) = &self.state_file {
            file.save(
                &self.store,
                persist::Drawing {
                    clock_offset: self.clock_offset(),
                    seed: self.seed,
                    disagreement_percent: self.disagreement_percent,
                },
            );
        }
    }

    /// Whether there is a state file to save to.
    pub(crate) fn saves(&self) -> bool {
        self.state_file.is_some()
    }
}

/// A running practice server. Dropping it shuts the server down.
#[derive(Debug)]
pub struct PracticeServer {
    address: SocketAddr,
    state: Arc<ServerState>,
    token: String,
    shutdown: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl PracticeServer {
    /// Binds to loopback and starts serving on the current tokio runtime.
    pub async fn start(config: PracticeConfig) -> Result<Self, StartError> {
        if let Some(mix) = &config.crowd_mix {
            mix.check().map_err(StartError::CrowdMix)?;
        }
        let mut store = model::Store::seeded(&config);
        let state_file =
            match &config.state_dir {
                None => None,
                Some(dir) => Some(persist::StateFile::in_dir(dir).map_err(|source| {
                    StartError::StateDir {
                        path: dir.clone(),
                        source,
                    }
                })?),
            };
        let restored = state_file
            .as_ref()
            .and_then(|file| file.load_into(&mut store));
        // Features are configuration, not practice work: the configured ones apply (a
        // crowd mix when one is configured).
        for workspace in &mut store.workspaces {
            workspace.typed_datasets = config.workspace.typed_datasets;
            workspace.test_participants = config.workspace.test_participants;
            workspace.batch_layouts = config.workspace.batch_layouts;
            if config.crowd_mix.is_some() {
                workspace.crowd_mix = config.crowd_mix;
            }
        }
        let clock_offset = restored
            .as_ref()
            .map_or(Duration::ZERO, |restored| restored.clock_offset);
        // A restored state keeps the seed and share its answers were drawn with.
        let seed = restored
            .as_ref()
            .map_or(config.seed, |restored| restored.seed);
        let disagreement_percent = restored.as_ref().map_or(
            (config.disagreement.clamp(0.0, 1.0) * 100.0).round() as u64,
            |restored| restored.disagreement_percent,
        );
        let storage_dir = tempfile::Builder::new()
            .prefix("batchdesk-practice-storage-")
            .tempdir()
            .map_err(StartError::Storage)?;
        let token = config
            .token
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
            .await
            .map_err(|source| StartError::Bind {
                port: config.port,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            port: config.port,
            source,
        })?;
        let state = Arc::new(ServerState {
            token: token.clone(),
            base_url: format!("http://{address}"),
            signer: presign::UrlSigner::random(),
            upload_url_ttl: config.upload_url_ttl,
            seed,
            regular_participants: config.regular_participants,
            disagreement_percent,
            dropout: dropout::Dropout::new(config.return_share, config.timeout_share),
            processing_delay_ms: AtomicU64::new(0),
            participant_pace_ms: AtomicU64::new(0),
            clock_offset_ms: AtomicU64::new(
                u64::try_from(clock_offset.as_millis()).unwrap_or(u64::MAX),
            ),
            store: Mutex::new(store),
            faults: Faults::default(),
            request_check: config.request_check.clone(),
            storage_dir,
            state_file,
            researcher: config.researcher,
        });
        state.set_processing_delay(config.processing_delay);
        state.set_participant_pace(config.participant_pace);
        let shutdown = CancellationToken::new();
        let stopped = shutdown.clone();
        let app = routes::router(Arc::clone(&state));
        let task = tokio::spawn(async move {
            // Connections can be severed by a fault, so requests see their connection.
            let listener = faults::SeverableListener(listener);
            let app = app.into_make_service_with_connect_info::<faults::Connection>();
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(stopped.cancelled_owned())
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "practice server stopped with an error");
            }
        });
        tracing::info!(%address, "practice server listening");
        Ok(Self {
            address,
            state,
            token,
            shutdown,
            task: Some(task),
        })
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The token this server accepts in `Authorization: Token …`.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Changes how long processing and setup take from now on (work already started
    /// keeps its finish time). Lets a test hold a batch in `PROCESSING` after its dataset
    /// became `READY` without waiting.
    pub fn set_processing_delay(&self, delay: Duration) {
        self.state.set_processing_delay(delay);
    }

    /// Changes how often participants arrive for studies published or restarted from
    /// now on. Zero fills every place by the next read.
    pub fn set_participant_pace(&self, pace: Duration) {
        self.state.set_participant_pace(pace);
    }

    /// Moves this server's clock on by `by`: processing, setup and participants
    /// progress as if that time had passed, without waiting. (Signed URL expiry keeps
    /// real time.) With a saved state, the clock is saved too, so time never goes back
    /// after a restart.
    pub fn advance_clock(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.state
            .clock_offset_ms
            .fetch_add(millis, Ordering::Relaxed);
        self.state.save();
    }

    /// Changes the practice workspace (balance, features, time factor), as
    /// `PATCH /_practice/workspace` does, and saves the state when it is kept.
    pub fn control_workspace(
        &self,
        controls: &WorkspaceControls,
    ) -> Result<WorkspaceSettings, ApiError> {
        let settings = self.state.apply_controls(controls)?;
        self.state.save();
        Ok(settings)
    }

    /// Sets the workspace's total balance in minor units (say, too little to publish).
    pub fn set_balance(&self, balance: i64) -> Result<WorkspaceSettings, ApiError> {
        self.control_workspace(&WorkspaceControls {
            balance: Some(balance),
            ..WorkspaceControls::default()
        })
    }

    /// Switches typed (V4, schema) datasets on or off for the workspace.
    pub fn set_typed_datasets(&self, enabled: bool) -> Result<WorkspaceSettings, ApiError> {
        self.control_workspace(&WorkspaceControls {
            typed_datasets: Some(enabled),
            ..WorkspaceControls::default()
        })
    }

    /// Sets how long participants take against a study's estimate, in percent (100: as
    /// long as estimated), for submissions planned from now on.
    pub fn set_time_factor_percent(&self, factor: u32) -> Result<WorkspaceSettings, ApiError> {
        self.control_workspace(&WorkspaceControls {
            time_factor_percent: Some(factor),
            ..WorkspaceControls::default()
        })
    }

    /// Sets the kinds of people in the workspace's pool for places planned from now on
    /// (`None`: no kinds, participants answer as before kinds). A mix that does not add
    /// up to 100 is refused.
    pub fn set_crowd_mix(&self, mix: Option<CrowdMix>) -> Result<WorkspaceSettings, ApiError> {
        self.control_workspace(&WorkspaceControls {
            crowd_mix: Some(mix),
            ..WorkspaceControls::default()
        })
    }

    /// Switches test participants and test studies on or off for the workspace.
    pub fn set_test_participants(&self, enabled: bool) -> Result<WorkspaceSettings, ApiError> {
        self.control_workspace(&WorkspaceControls {
            test_participants: Some(enabled),
            ..WorkspaceControls::default()
        })
    }

    /// The workspace's balance and features now.
    pub fn workspace_settings(&self) -> Result<WorkspaceSettings, ApiError> {
        self.state.workspace_settings()
    }

    /// The faults in force: inject rate limits, server errors, slow answers, dropped
    /// connections, early-expiring upload URLs or failed processing for some routes.
    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// The directory uploads are written to while they are processed. It is the
    /// server's own and is removed when the server stops.
    pub fn storage_dir(&self) -> &std::path::Path {
        self.state.storage_dir.path()
    }

    /// Stops accepting connections, lets requests in flight finish, saves the practice
    /// state (when it is kept in a file) and waits.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            // A server task that panicked has stopped all the same.
            let _ = task.await;
        }
        let state = Arc::clone(&self.state);
        // The save is blocking file work; a failure is logged by `save` itself.
        let _ = tokio::task::spawn_blocking(move || state.save()).await;
    }
}

impl Drop for PracticeServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
