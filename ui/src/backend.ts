/**
 * The one seam between the UI and Rust. Everything the UI needs from the back end goes
 * through here: the generated bindings are imported by this module alone (ESLint
 * enforces it), which turns IPC results into values or typed `BackendError`s, and builds
 * scoped event names from the patterns Rust exports.
 */
import { Channel } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";

import {
  type AppInfo,
  type AudienceFilter,
  type BonusRow,
  commands,
  type Confirmation,
  type ContinueChoice,
  type DownloadKind,
  type ErrorCode,
  FILES_DRAGGED_EVENT,
  FILE_OPENED_EVENT,
  type FileOpened,
  type FilesDragged,
  type FixProgress,
  type GroupTarget,
  type HeldFile,
  type IpcError,
  type ItemList,
  type KnownAnswersChoice,
  type LaunchStage,
  type MessageTo,
  type NewBatch,
  type Notice,
  type PilotProgress,
  type PlacesQuote,
  type PriceQuote,
  type ReadProgress,
  type ResultsProgress,
  type ReviewDecision,
  type RowsQuery,
  type SetupProgress,
  STUDY_NOTICE_EVENT,
  STUDY_PROGRESS_EVENT,
  type StudyCommand,
  type StudyNoticeRaised,
  type StudyProgress,
  type StudyProgressChanged,
  type StudySettings,
  type TaskDesign,
  type TemplateSummary,
  type TopUpPlan,
  type TopUpProgress,
  type TopUpRequest,
  type UpdateProgress,
  type UploadProgress,
} from "./bindings";
import { say, t } from "./i18n";

/**
 * Rust's types under Rust's names, as the generated bindings describe them: one shape
 * per type for both directions (see `ipc_builder`). The UI imports them from here.
 */
export type * from "./bindings";

declare global {
  interface Window {
    /** What Rust gave the page before its scripts ran (`boot_script` in startup.rs). */
    readonly __BATCHDESK_BOOT__?: { readonly appInfo: AppInfo | null };
  }
}

/**
 * The app's facts as Rust gave them with the page, so the first screen renders without
 * waiting for `app_info` (absent outside the app, as in unit tests: then it is asked).
 */
export const bootAppInfo: AppInfo | undefined = window.__BATCHDESK_BOOT__?.appInfo ?? undefined;

/**
 * An error from Rust: branch on `code`, show `message` (said from the catalogue in the
 * researcher's language). Never match the message text.
 */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "BackendError";
    this.code = code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "object"
  );
}

/**
 * Commands return our `IpcError`, but Tauri itself rejects with a bare string when a
 * call never reaches the command (a missing permission, a bad argument). Those are bugs
 * in Batchdesk, so they become `internal` errors with a message a researcher can report.
 */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) {
    return error;
  }
  if (isIpcError(error)) {
    return new BackendError(error.code, say(error.message));
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new BackendError("internal", t("common:internalError", { detail }));
}

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

async function unwrap<T>(call: () => Promise<CommandResult<T>>): Promise<T> {
  let result: CommandResult<T>;
  try {
    result = await call();
  } catch (error) {
    throw toBackendError(error);
  }
  if (result.status === "error") {
    throw toBackendError(result.error);
  }
  return result.data;
}

/** What a confirmation names of the quote the researcher saw: its total and terms. */
const confirmationOf = (quote: PriceQuote): Confirmation => ({ total: quote.total, fingerprint: quote.fingerprint });

export const backend = {
  appInfo: () => unwrap(() => commands.appInfo()),
  connectionStatus: () => unwrap(() => commands.connectionStatus()),
  startPractice: () => unwrap(() => commands.startPractice()),
  /** The only call that carries the token; Rust never sends it back. */
  connectProlific: (token: string) => unwrap(() => commands.connectProlific(token)),
  signOut: () => unwrap(() => commands.signOut()),
  workspaces: () => unwrap(() => commands.workspaces()),
  workspaceDetails: (workspaceId: string) => unwrap(() => commands.workspaceDetails(workspaceId)),
  chooseWorkspace: (workspaceId: string) => unwrap(() => commands.chooseWorkspace(workspaceId)),
  chooseProject: (workspaceId: string, projectId: string) =>
    unwrap(() => commands.chooseProject(workspaceId, projectId)),
  createProject: (workspaceId: string, title: string) =>
    unwrap(() => commands.createProject(workspaceId, title)),
  /** Endpoints Prolific has marked as going away since the last look, each told once ever. */
  takeApiNotices: () => unwrap(() => commands.takeApiNotices()),
  /** Opens an http(s) or mailto link in the system browser; ask the researcher first. */
  openInBrowser: (url: string) => unwrap(() => commands.openInBrowser(url)),
  /** The native file chooser, opened by Rust; the file behind a handle, `null` when cancelled. */
  chooseDataFile: () => unwrap(() => commands.chooseDataFile()),
  /** The sample spreadsheets offered in practice mode. */
  sampleSpreadsheets: () => unwrap(() => commands.sampleSpreadsheets()),
  /** Puts a sample into the app's folder; answers it behind a handle, to be checked like a chosen file. */
  openSampleSpreadsheet: (id: string) => unwrap(() => commands.openSampleSpreadsheet(id)),
  /** Reads the file behind `handle` with the CSV doctor; `onProgress` hears about every megabyte. */
  inspectDataFile: (handle: string, onProgress: (progress: ReadProgress) => void) => {
    const channel = new Channel<ReadProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.inspectDataFile(handle, channel));
  },
  /** Writes a fixed copy and checks it; the copy has a handle of its own. */
  fixDataFile: (handle: string, onProgress: (progress: FixProgress) => void) => {
    const channel = new Channel<FixProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.fixDataFile(handle, channel));
  },
  /** Stops the check or fix of a data file in progress (it then fails as `cancelled`). */
  cancelInspection: () => unwrap(() => commands.cancelInspection()),
  /** The first step's draft for the current mode. */
  dataDraft: () => unwrap(() => commands.dataDraft()),
  /** Saves the chosen file and the copy to send (the file itself or a fixed copy), by handle. */
  chooseData: (source: string, working: string) => unwrap(() => commands.chooseData(source, working)),
  /** Uploads the draft's file and follows it to READY; `onProgress` hears each stage. */
  uploadData: (onProgress: (progress: UploadProgress) => void) => {
    const channel = new Channel<UploadProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.uploadData(channel));
  },
  /** After refused rows: sends a copy of the file without them, as a new dataset. */
  uploadWithoutRejectedRows: (onProgress: (progress: UploadProgress) => void) => {
    const channel = new Channel<UploadProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.uploadWithoutRejectedRows(channel));
  },
  cancelUpload: () => unwrap(() => commands.cancelUpload()),
  /** The second step's draft for the current mode: the design and its batch. */
  taskDraft: () => unwrap(() => commands.taskDraft()),
  /** The data the task runs on: columns, first rows, dataset kind. */
  taskData: () => unwrap(() => commands.taskData()),
  /** Saves the design; answers its problems and its HTML as cleaned for the preview. */
  saveTaskDesign: (design: TaskDesign) => unwrap(() => commands.saveTaskDesign(design)),
  taskTemplates: async (): Promise<TemplateSummary[]> => {
    try {
      return await commands.taskTemplates();
    } catch (error) {
      throw toBackendError(error);
    }
  },
  applyTemplate: (id: string) => unwrap(() => commands.applyTemplate(id)),
  /** The native file chooser for a template file; `null` when cancelled. */
  openTaskTemplate: () => unwrap(() => commands.openTaskTemplate()),
  /** The native save dialog; the saved file's path, or `null` when cancelled. */
  saveTaskTemplate: (name: string, design: TaskDesign) =>
    unwrap(() => commands.saveTaskTemplate(name, design)),
  /**
   * Saves `design` and makes and sets up the batch from it, following it to READY;
   * `onProgress` hears each stage.
   */
  setUpBatch: (design: TaskDesign, onProgress: (progress: SetupProgress) => void) => {
    const channel = new Channel<SetupProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.setUpBatch(design, channel));
  },
  cancelSetup: () => unwrap(() => commands.cancelSetup()),
  /** Everything step 3 needs: settings, facts, filters, projects, an earlier launch. */
  studyContext: () => unwrap(() => commands.studyContext()),
  saveStudySettings: (settings: StudySettings) => unwrap(() => commands.saveStudySettings(settings)),
  audienceSize: (filters: AudienceFilter[]) => unwrap(() => commands.audienceSize(filters)),
  /** The cost calculator's exact total next to the available balance. */
  priceQuote: (settings: StudySettings) => unwrap(() => commands.priceQuote(settings)),
  /** What a reward comes to per hour, and the reward paying the recommended rate (Rust's rules). */
  hourlyRates: (reward: number, estimatedMinutes: number, recommendedHourly: number | null) =>
    unwrap(() => commands.hourlyRates(reward, estimatedMinutes, recommendedHourly)),
  /**
   * Saves `settings` and creates the draft study (or brings it up to them); with the quote
   * the researcher confirmed, also publishes it, only on exactly those terms and that
   * total. Resumes an interrupted launch.
   */
  launchStudy: (
    settings: StudySettings,
    confirmed: PriceQuote | null,
    onProgress: (stage: LaunchStage) => void,
  ) => {
    const channel = new Channel<LaunchStage>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.launchStudy(settings, confirmed && confirmationOf(confirmed), channel));
  },
  /** The pilot of the wizard's batch: its size, and how far it has got. */
  pilotView: () => unwrap(() => commands.pilotView()),
  /** Makes the pilot's batch on the first rows (free), reporting each step. */
  preparePilot: (onProgress: (step: PilotProgress) => void) => {
    const channel = new Channel<PilotProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.preparePilot(channel));
  },
  /** Stops preparing the pilot (what was made is carried on with next time). */
  cancelPilot: () => unwrap(() => commands.cancelPilot()),
  pilotQuote: () => unwrap(() => commands.pilotQuote()),
  /** Publishes the pilot at exactly the quote the researcher confirmed, once. */
  launchPilot: (confirmed: PriceQuote, onProgress: (stage: LaunchStage) => void) => {
    const channel = new Channel<LaunchStage>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.launchPilot(confirmationOf(confirmed), channel));
  },
  pilotReport: () => unwrap(() => commands.pilotReport()),
  /** Leaves the pilot that ran for a fresh one (after a fix), priced and confirmed again. */
  runAnotherPilot: () => unwrap(() => commands.runAnotherPilot()),
  /** Applies the choices made after the pilot to the full study's settings. */
  continueAfterPilot: (choice: ContinueChoice) => unwrap(() => commands.continueAfterPilot(choice)),
  /** `email` registers the test participant the first time; later runs pass `null`. */
  testRun: (email: string | null) => unwrap(() => commands.testRun(email)),
  /** What publishing a draft study would cost now, against the balance. */
  quoteDraftStudy: (studyId: string) => unwrap(() => commands.quoteDraftStudy(studyId)),
  /** Publishes a draft study at the quote the researcher confirmed (refused if it changed). */
  publishDraftStudy: (studyId: string, confirmed: PriceQuote) =>
    unwrap(() => commands.publishDraftStudy(studyId, confirmationOf(confirmed))),
  /**
   * Leaves the current batch for a new one: an empty data step (`empty`), or the same
   * task design on new data (`sameTask`). Nothing on Prolific is touched.
   */
  startNewBatch: (keep: NewBatch) => unwrap(() => commands.startNewBatch(keep)),
  /** Batchdesk's studies with their progress, and the workspace's other batches. */
  batchesOverview: () => unwrap(() => commands.batchesOverview()),
  /** One study's progress now; it is then followed (see `onStudyProgress`). */
  studyProgress: (studyId: string) => unwrap(() => commands.studyProgress(studyId)),
  commandStudy: (studyId: string, command: StudyCommand) =>
    unwrap(() => commands.commandStudy(studyId, command)),
  /** What adding `extraPerItem` people to every item would cost. */
  quoteMorePeople: (studyId: string, extraPerItem: number) =>
    unwrap(() => commands.quoteMorePeople(studyId, extraPerItem)),
  /** Makes the change the researcher confirmed from `quote`, once, whatever the retries. */
  addPeople: (studyId: string, quote: PlacesQuote) =>
    unwrap(() =>
      commands.addPeople(studyId, {
        expectedPerItem: quote.currentPerItem,
        targetPerItem: quote.targetPerItem,
        confirmedCost: quote.extraCostMinor,
      }),
    ),
  approveAll: (studyId: string) => unwrap(() => commands.approveAll(studyId)),
  /** The analysed results: the last download, or a fresh one when `refresh`. */
  studyResults: (studyId: string, refresh: boolean, onProgress: (stage: ResultsProgress) => void) => {
    const channel = new Channel<ResultsProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.studyResults(studyId, refresh, channel));
  },
  resultsRows: (studyId: string, query: RowsQuery) =>
    unwrap(() => commands.resultsRows(studyId, query)),
  /** Which items a second round would take (below `request.threshold`), at what exact cost. */
  planTopUp: (studyId: string, request: TopUpRequest) => unwrap(() => commands.planTopUp(studyId, request)),
  /** Prepares and publishes the second round the researcher confirmed from `plan`, once. */
  launchTopUp: (studyId: string, plan: TopUpPlan, onProgress: (step: TopUpProgress) => void) => {
    const channel = new Channel<TopUpProgress>();
    channel.onmessage = onProgress;
    const request = { threshold: plan.threshold, peoplePerItem: plan.peoplePerItem };
    const confirmed = { total: plan.quote?.total ?? 0, fingerprint: plan.fingerprint };
    return unwrap(() => commands.launchTopUp(studyId, request, confirmed, channel));
  },
  /** Stops preparing a second round (nothing is spent before its publish). */
  cancelTopUp: () => unwrap(() => commands.cancelTopUp()),
  /** The study's second round, if one was started. */
  topUpView: (studyId: string) => unwrap(() => commands.topUpView(studyId)),
  /** A new batch in the wizard with this study's task and settings, for a new spreadsheet. */
  runAgainWithNewData: (studyId: string) => unwrap(() => commands.runAgainWithNewData(studyId)),
  countPilotAnswers: (studyId: string, merged: boolean) => unwrap(() => commands.countPilotAnswers(studyId, merged)),
  studyScorecard: (studyId: string) => unwrap(() => commands.studyScorecard(studyId)),
  studyMethods: (studyId: string) => unwrap(() => commands.studyMethods(studyId)),
  /** Agreement between people; the matrix shows `participants` (ids), or by default those who shared most. */
  studyAgreement: (studyId: string, participants: string[] | null) =>
    unwrap(() => commands.studyAgreement(studyId, participants)),
  /** Part of one question's flagged or to-review items, from `offset` (the summary holds the first ones). */
  studyItemList: (studyId: string, questionId: string, list: ItemList, offset: number, limit: number) =>
    unwrap(() => commands.studyItemList(studyId, questionId, list, offset, limit)),
  /** Alpha's bootstrap intervals: kept ones at once, otherwise worked out now (seconds) and kept. */
  studyAlphaIntervals: (studyId: string) => unwrap(() => commands.studyAlphaIntervals(studyId)),
  /**
   * Who took part: answers by age band, country and language (groups of five or more).
   * `fetch` asks Prolific for its demographic export (one of a study's few); otherwise
   * the copy saved on this computer is used, if any.
   */
  studyDemographics: (studyId: string, fetch: boolean) => unwrap(() => commands.studyDemographics(studyId, fetch)),
  participantGroups: () => unwrap(() => commands.participantGroups()),
  /** How many people a message about the study would reach now, for its confirmation. */
  messageAudience: (studyId: string, to: MessageTo) => unwrap(() => commands.messageAudience(studyId, to)),
  /** Sends a message as confirmed for `confirmedPeople`, once (the same again is not sent twice). */
  sendMessage: (studyId: string, to: MessageTo, body: string, confirmedPeople: number) =>
    unwrap(() => commands.sendMessage(studyId, to, body, confirmedPeople)),
  setUpBonuses: (studyId: string, rows: BonusRow[]) => unwrap(() => commands.setUpBonuses(studyId, rows)),
  payBonuses: (studyId: string, bulkBonusId: string, confirmedTotal: number) =>
    unwrap(() => commands.payBonuses(studyId, bulkBonusId, confirmedTotal)),
  pendingBonuses: (studyId: string) => unwrap(() => commands.pendingBonuses(studyId)),
  putBonusesAside: (studyId: string, bulkBonusId: string) => unwrap(() => commands.putBonusesAside(studyId, bulkBonusId)),
  rememberParticipants: (target: GroupTarget, participantIds: string[]) =>
    unwrap(() => commands.rememberParticipants(target, participantIds)),
  reviewParticipant: (studyId: string, participantId: string, decision: ReviewDecision) =>
    unwrap(() => commands.reviewParticipant(studyId, participantId, decision)),
  /** The same decision for each chosen person, one at a time: each one's outcome. */
  reviewParticipants: (studyId: string, participantIds: string[], decision: ReviewDecision) =>
    unwrap(() => commands.reviewParticipants(studyId, participantIds, decision)),
  setKnownAnswers: (studyId: string, choice: KnownAnswersChoice | null) =>
    unwrap(() => commands.setKnownAnswers(studyId, choice)),
  /** Asks where to save, then writes the file; `null` when the dialog was cancelled. */
  saveResults: (studyId: string, title: string, kind: DownloadKind) =>
    unwrap(() => commands.saveResults(studyId, title, kind)),
  showInFolder: (path: string) => unwrap(() => commands.showInFolder(path)),
  revealHeldFile: (handle: string) => unwrap(() => commands.revealHeldFile(handle)),
  /** The data file the system asked Batchdesk to open (behind a handle), once; `null` when none waits. */
  takeOpenedFile: () => unwrap(() => commands.takeOpenedFile()),
  /** Whether this build updates itself, and whether it checks when it starts. */
  updateSettings: () => unwrap(() => commands.updateSettings()),
  setCheckUpdatesAtStart: (check: boolean) => unwrap(() => commands.setCheckUpdatesAtStart(check)),
  /** A newer Batchdesk with its release notes, or `null` when this one is the latest. */
  checkForUpdate: () => unwrap(() => commands.checkForUpdate()),
  /** Downloads and installs the update found, then Batchdesk starts again; `onProgress` hears each step. */
  installUpdate: (onProgress: (progress: UpdateProgress) => void) => {
    const channel = new Channel<UpdateProgress>();
    channel.onmessage = onProgress;
    return unwrap(() => commands.installUpdate(channel));
  },
  openLogsFolder: () => unwrap(() => commands.openLogsFolder()),
  /** The text "Copy diagnostics" copies: app facts and recent error codes, never a token or participant. */
  diagnostics: () => unwrap(() => commands.diagnostics()),
};

/**
 * Calls `handler` when the system asked Batchdesk to open a data file while it runs (a
 * second start given a file, or macOS's open-file event); take it with `takeOpenedFile`.
 */
export function onFileOpened(handler: () => void): Promise<UnlistenFn> {
  return listen<FileOpened>(scoped(FILE_OPENED_EVENT, getCurrentWebview().label), () => handler());
}

/**
 * Files dropped anywhere on the window. Rust takes them from the window's native drag and
 * drop and sends only handles and names; `onHover` says whether files are being dragged
 * over the window.
 */
export function onFilesDropped(
  onDrop: (files: HeldFile[]) => void,
  onHover: (hovering: boolean) => void,
): Promise<UnlistenFn> {
  return listen<FilesDragged>(scoped(FILES_DRAGGED_EVENT, getCurrentWebview().label), ({ payload }) => {
    onHover(payload.hovering);
    if (payload.dropped.length > 0) onDrop(payload.dropped);
  });
}

function scoped(pattern: string, id: string): string {
  return pattern.replace("{id}", id);
}

/** Calls `handler` with each progress the study's poller reads; resolves to the unsubscribe. */
export function onStudyProgress(
  studyId: string,
  handler: (progress: StudyProgress) => void,
): Promise<UnlistenFn> {
  return listen<StudyProgressChanged>(scoped(STUDY_PROGRESS_EVENT, studyId), (event) =>
    handler(event.payload.progress),
  );
}

/** Calls `handler` with each notice about the study (also raised as an OS notification). */
export function onStudyNotice(studyId: string, handler: (notice: Notice) => void): Promise<UnlistenFn> {
  return listen<StudyNoticeRaised>(scoped(STUDY_NOTICE_EVENT, studyId), (event) =>
    handler(event.payload.notice),
  );
}
