import { mockIPC } from "@tauri-apps/api/mocks";

import type {
  AppInfo,
  ErrorCode,
  IpcError,
  Connected,
  DataDraftView,
  HeldFile,
  UpdateSettings,
  WorkspaceDetails,
  Text,
  Workspaces,
} from "../backend";

/** A sentence Rust decided: the catalogue entry `key` (`checks:design.noTitle`) and its values. */
export function text(key: string, params: Text["params"] = {}): Text {
  return { key, params };
}

/**
 * What a command answers when it fails: `code` and the catalogue entry Rust names for it
 * (`errors:…`), with its values; the UI says it as the researcher reads it.
 */
export function ipcError(code: ErrorCode, key: `errors:${string}`, params: Text["params"] = {}): IpcError {
  return { code, message: { key, params } };
}

export const appInfo: AppInfo = {
  version: "0.1.0",
  flavour: "test",
  identifier: "io.batchdesk.desktop.test",
  dataDir: "/home/researcher/.local/share/io.batchdesk.desktop.test",
  storeSchemaVersion: 1,
  unusualApiAddress: null,
  formatLocale: null,
};

/** A dev or test build: no update source. */
export const updatesOff: UpdateSettings = { available: false, checkAtStart: true, currentVersion: "0.1.0" };

export const practising: Connected = {
  mode: "practice",
  name: "Practice Researcher",
  email: "practice.researcher@example.org",
  unusualAddress: null,
};

export const workspaces: Workspaces = {
  mode: "practice",
  workspaces: [{ id: "ws1", title: "Practice workspace" }],
  chosen: "ws1",
  possiblyTruncated: false,
};

export const workspaceDetails: WorkspaceDetails = {
  workspaceId: "ws1",
  projects: [
    { id: "p1", title: "Practice project" },
    { id: "p2", title: "Pilot" },
  ],
  chosenProject: "p1",
  currencyCode: "GBP",
  availableBalance: 125050,
  totalBalance: 125050,
};

export const emptyDraft: DataDraftView = {
  workingFile: null,
  datasetId: null,
  readyRows: null,
  typed: false,
  ready: false,
  rejectedRows: [],
  changedSinceUpload: false,
};

/** A file as Rust hands it to the UI: an opaque handle and a name, never a path. */
export function held(fileName: string): HeldFile {
  return { handle: `file-${fileName}`, fileName, size: null };
}

type Handler = (command: string, args: unknown) => unknown;

/** An IPC fake answering like Rust for a connected app; `overrides` replace commands. */
export function fakeBackend(overrides: Record<string, Handler> = {}): Handler {
  const answers: Record<string, Handler> = {
    app_info: () => appInfo,
    take_opened_file: () => null,
    update_settings: () => updatesOff,
    connection_status: () => practising,
    workspaces: () => workspaces,
    workspace_details: () => workspaceDetails,
    data_draft: () => emptyDraft,
    choose_data: () => emptyDraft,
    task_draft: () => ({ design: null, batch: null, setUpOnOtherData: false, mixed: null }),
    sample_spreadsheets: () => [],
    take_api_notices: () => [],
    pending_bonuses: () => [],
    study_scorecard: () => ({
      participants: [],
      medianSeconds: null,
      typicalAgreement: null,
      typicalKnownRight: null,
      knownAnswers: null,
      states: {},
    }),
    batches_overview: () => ({ studies: [], otherBatches: [] }),
    study_agreement: () => ({ questions: [], intervalsWorkedOut: false }),
    study_alpha_intervals: () => [],
    study_item_list: () => ({ total: 0, offset: 0, items: [] }),
    // Nothing fetched of who took part; the study has used none of its exports.
    study_demographics: () => ({
      fetchedAt: null,
      exportsUsed: 0,
      exportsAllowed: 2,
      minGroupPeople: 5,
      peopleMatched: 0,
      peopleNotInExport: 0,
      groupings: [],
    }),
    review_participants: () => ({ people: [], progress: null }),
    participant_groups: () => [],
    // No second round started for any study.
    top_up_view: () => null,
    // A message reaches the people chosen, or (to a group or everyone) three.
    message_audience: (_command, args) => {
      const { to } = args as { to: { to: string; participantIds?: string[] } };
      return { people: to.participantIds?.length ?? 3 };
    },
    // As Rust's `study::rules::hourly_rates` answers (tested there): to the nearest
    // penny per hour, and the reward paying the recommended rate rounded up.
    hourly_rates: (_command, args) => {
      const { reward, estimatedMinutes, recommendedHourly } = args as {
        reward: number;
        estimatedMinutes: number;
        recommendedHourly: number | null;
      };
      return {
        hourly: estimatedMinutes > 0 ? Math.round((reward * 60) / estimatedMinutes) : 0,
        recommendedReward: recommendedHourly === null ? null : Math.ceil((recommendedHourly * estimatedMinutes) / 60),
      };
    },
    ...overrides,
  };
  return (command, args) => {
    const answer = answers[command];
    if (!answer) {
      throw new Error(`unexpected command ${command}`);
    }
    return answer(command, args);
  };
}

/** Installs `fakeBackend(overrides)` as the IPC, with Tauri's events mocked too. */
export function mockBackend(overrides: Record<string, Handler> = {}) {
  mockIPC(fakeBackend(overrides), { shouldMockEvents: true });
}
