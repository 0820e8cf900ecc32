/** TanStack Query hooks for everything that comes from Rust, keyed in one place. */
import {
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useIsMutating,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useEffect, useEffectEvent, useState } from "react";

import {
  type ApiNotice,
  type AppliedTemplate,
  type ApproveOutcome,
  type AudienceFilter,
  backend,
  bootAppInfo,
  type BackendError,
  type BonusPaid,
  type BonusQuote,
  type BonusRow,
  type CheckedDesign,
  type CheckedSettings,
  type ContinueChoice,
  type DataDraftView,
  type DownloadKind,
  type FixedFile,
  type FixProgress,
  type GroupTarget,
  type HeldFile,
  type HourlyRates,
  type InspectedFile,
  type ItemList,
  type ItemsPage,
  type KnownAnswersChoice,
  type LaunchOutcome,
  type LaunchStage,
  type MessageTo,
  type NewBatch,
  type Notice,
  onFileOpened,
  onFilesDropped,
  onStudyNotice,
  onStudyProgress,
  type PilotProgress,
  type PilotReport,
  type PilotView,
  type PlacesQuote,
  type PriceQuote,
  type ReadProgress,
  type ReadyDataset,
  type ResultsProgress,
  type ReviewDecision,
  type ReviewState,
  type RowsPage,
  type RowsQuery,
  type SavedFile,
  type SetupOutcome,
  type SetupProgress,
  type StudyCommand,
  type StudyProgress,
  type StudySettings,
  type ResultsSummary,
  type TaskDesign,
  type TestRun,
  type TopUpPlan,
  type TopUpProgress,
  type TopUpRequest,
  type UpdateProgress,
  type UploadProgress,
} from "./backend";

const account = ["account"] as const;
const wizard = [...account, "wizard"] as const;
const study = (studyId: string) => [...account, "study", studyId] as const;
const results = (studyId: string) => [...study(studyId), "results"] as const;

/**
 * Every query's key, in one tree. A key starts with its parents' keys, so invalidating or
 * removing a parent (`queryKeys.account.all` when the connection changes,
 * `queryKeys.study.results(id)` after a new download) reaches everything under it.
 * Add a key here, never inline in a hook or component.
 */
export const queryKeys = {
  appInfo: ["app-info"] as const,
  updates: {
    settings: ["updates", "settings"] as const,
    check: ["updates", "check"] as const,
  },
  connection: ["connection"] as const,
  taskTemplates: ["task-templates"] as const,
  sampleSpreadsheets: ["sample-spreadsheets"] as const,
  /** Rust's rules, pure: the same reward and minutes always come to the same rate. */
  hourlyRates: (reward: number, minutes: number, recommendedHourly: number | null) =>
    ["hourly-rates", reward, minutes, recommendedHourly] as const,
  /** Everything of the account connected: dropped when the connection changes (practice or real). */
  account: {
    all: account,
    workspaces: [...account, "workspaces"] as const,
    workspace: (workspaceId: string) => [...account, "workspace", workspaceId] as const,
    participantGroups: [...account, "participant-groups"] as const,
    /** Notices are per connection. */
    apiNotices: [...account, "api-notices"] as const,
    batchesOverview: [...account, "batches-overview"] as const,
  },
  /** The New batch wizard's drafts and what they come to. */
  wizard: {
    all: wizard,
    dataDraft: [...wizard, "data-draft"] as const,
    taskDraft: [...wizard, "task-draft"] as const,
    /** The data the task runs on, per working file (by its handle); `all` when a file is read or sent. */
    taskData: {
      all: [...wizard, "task-data"] as const,
      of: (workingFile: string) => [...wizard, "task-data", workingFile] as const,
    },
    studyContext: [...wizard, "study-context"] as const,
    audienceSize: (filters: AudienceFilter[]) => [...wizard, "audience-size", filters] as const,
    /** Keyed on every setting: the quote names (by its fingerprint) the exact terms it priced. */
    price: {
      all: [...wizard, "price"] as const,
      of: (settings: StudySettings, assignments: number) => [...wizard, "price", settings, assignments] as const,
    },
    pilot: {
      view: [...wizard, "pilot", "view"] as const,
      report: [...wizard, "pilot", "report"] as const,
    },
  },
  /** One study after launch; `results` holds everything read from its downloaded results. */
  study: {
    all: study,
    progress: (studyId: string) => [...study(studyId), "progress"] as const,
    /** The analysed results; under it, what is read again with each new version of them. */
    results,
    scorecard: (studyId: string, version: string) => [...results(studyId), "scorecard", version] as const,
    methods: {
      all: (studyId: string) => [...results(studyId), "methods"] as const,
      of: (studyId: string, version: string) => [...results(studyId), "methods", version] as const,
    },
    agreement: {
      all: (studyId: string) => [...results(studyId), "agreement"] as const,
      of: (studyId: string, version: string, participants: string[] | null) =>
        [...results(studyId), "agreement", version, participants] as const,
    },
    /** Where the work on the alpha intervals is followed (a mutation key). */
    alphaIntervals: (studyId: string) => [...results(studyId), "alpha-intervals"] as const,
    demographics: (studyId: string, version: string) => [...results(studyId), "demographics", version] as const,
    /** The flagged or to-review items of a question, page by page ("Show more"). */
    itemList: (studyId: string, version: string, questionId: string, list: ItemList) =>
      [...results(studyId), "item-list", version, questionId, list] as const,
    pendingBonuses: (studyId: string) => [...results(studyId), "pending-bonuses"] as const,
    messageAudience: {
      all: (studyId: string) => [...results(studyId), "message-audience"] as const,
      of: (studyId: string, to: MessageTo | null) => [...results(studyId), "message-audience", to] as const,
    },
    /** A page of the responses table; read each time it is asked for, and not kept. */
    rows: (studyId: string, query: RowsQuery) => [...results(studyId), "rows", query] as const,
    /** The second round; read again with each download of the results (the agreement changes). */
    topUp: {
      all: (studyId: string) => [...study(studyId), "top-up"] as const,
      of: (studyId: string, downloadedAt: string) => [...study(studyId), "top-up", downloadedAt] as const,
    },
  },
};

type Data<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/**
 * What a component adds to a mutation: its own state (progress reset, a dialog closed,
 * a page to go to). Each runs after the hook has brought the cache up to date.
 */
export type Callbacks<T, V = void> = {
  onMutate?: (variables: V) => unknown;
  onSuccess?: (data: T, variables: V) => unknown;
  onError?: (error: BackendError, variables: V) => unknown;
  onSettled?: (data: T | undefined, error: BackendError | null, variables: V) => unknown;
};

/** A call to Rust as a mutation: the hook's cache work first (`own`), then the component's. */
function useBackendMutation<T, V = void>(
  mutationFn: (variables: V) => Promise<T>,
  own: Callbacks<T, V> = {},
  theirs: Callbacks<T, V> = {},
  mutationKey?: readonly unknown[],
) {
  return useMutation<T, BackendError, V>({
    mutationKey,
    mutationFn,
    onMutate: async (variables) => {
      await own.onMutate?.(variables);
      await theirs.onMutate?.(variables);
    },
    onSuccess: async (data, variables) => {
      await own.onSuccess?.(data, variables);
      await theirs.onSuccess?.(data, variables);
    },
    onError: async (error, variables) => {
      await own.onError?.(error, variables);
      await theirs.onError?.(error, variables);
    },
    onSettled: async (data, error, variables) => {
      await own.onSettled?.(data, error, variables);
      await theirs.onSettled?.(data, error, variables);
    },
  });
}

export function useAppInfo() {
  return useQuery<Data<typeof backend.appInfo>, BackendError>({
    queryKey: queryKeys.appInfo,
    queryFn: backend.appInfo,
    // Given with the page: the first screen does not wait for a round trip to Rust.
    initialData: bootAppInfo,
    staleTime: Infinity,
  });
}

export function useUpdateSettings() {
  return useQuery<Data<typeof backend.updateSettings>, BackendError>({
    queryKey: queryKeys.updates.settings,
    queryFn: backend.updateSettings,
    staleTime: Infinity,
  });
}

export function useSetCheckUpdatesAtStart() {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.updateSettings>, BackendError, boolean>({
    mutationFn: backend.setCheckUpdatesAtStart,
    onSuccess: (settings) => client.setQueryData(queryKeys.updates.settings, settings),
  });
}

/**
 * The update check, once per run: started by itself when `automatic` (this build has
 * an updater and the researcher left the check at start on), or by `refetch` ("Check
 * now").
 */
export function useUpdateCheck(automatic: boolean) {
  return useQuery<Data<typeof backend.checkForUpdate>, BackendError>({
    queryKey: queryKeys.updates.check,
    queryFn: backend.checkForUpdate,
    enabled: automatic,
    staleTime: Infinity,
  });
}

export function useConnection() {
  return useQuery<Data<typeof backend.connectionStatus>, BackendError>({
    queryKey: queryKeys.connection,
    queryFn: backend.connectionStatus,
    staleTime: Infinity,
  });
}

/** After the connection changes, everything account-shaped is stale. */
function useConnectionChange<A>(call: (argument: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation<unknown, BackendError, A>({
    mutationFn: call,
    onSuccess: async () => {
      client.removeQueries({ queryKey: queryKeys.account.all });
      await client.invalidateQueries({ queryKey: queryKeys.connection });
    },
  });
}

export const useStartPractice = () => useConnectionChange<void>(() => backend.startPractice());
export const useConnectProlific = () => useConnectionChange<string>((token) => backend.connectProlific(token));
export const useSignOut = () => useConnectionChange<void>(() => backend.signOut());

export function useWorkspaces() {
  return useQuery<Data<typeof backend.workspaces>, BackendError>({
    queryKey: queryKeys.account.workspaces,
    queryFn: backend.workspaces,
  });
}

export function useWorkspaceDetails(workspaceId: string | null | undefined) {
  return useQuery<Data<typeof backend.workspaceDetails>, BackendError>({
    queryKey: queryKeys.account.workspace(workspaceId ?? ""),
    queryFn: () => backend.workspaceDetails(workspaceId ?? ""),
    enabled: Boolean(workspaceId),
  });
}

export function useChooseWorkspace() {
  const client = useQueryClient();
  return useMutation<null, BackendError, string>({
    mutationFn: backend.chooseWorkspace,
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.account.workspaces }),
  });
}

export function useChooseProject(workspaceId: string) {
  const client = useQueryClient();
  return useMutation<null, BackendError, string>({
    mutationFn: (projectId) => backend.chooseProject(workspaceId, projectId),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.account.workspace(workspaceId) }),
  });
}

export function useCreateProject(workspaceId: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.createProject>, BackendError, string>({
    mutationFn: (title) => backend.createProject(workspaceId, title),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.account.workspace(workspaceId) }),
  });
}

export function useDataDraft(enabled = true) {
  return useQuery<Data<typeof backend.dataDraft>, BackendError>({
    queryKey: queryKeys.wizard.dataDraft,
    queryFn: backend.dataDraft,
    enabled,
  });
}

export function useTaskDraft(enabled = true) {
  return useQuery<Data<typeof backend.taskDraft>, BackendError>({
    queryKey: queryKeys.wizard.taskDraft,
    queryFn: backend.taskDraft,
    enabled,
  });
}

/** Reads the working file again only when it changes. */
export function useTaskData(workingPath: string | null | undefined) {
  return useQuery<Data<typeof backend.taskData>, BackendError>({
    queryKey: queryKeys.wizard.taskData.of(workingPath ?? ""),
    queryFn: backend.taskData,
    enabled: Boolean(workingPath),
    staleTime: Infinity,
  });
}

/**
 * Prolific's notices about endpoints it will retire, asked for when the window gets the
 * focus and after each action (the calls that could have heard one). Each comes once.
 */
export function useApiNotices(enabled: boolean) {
  const client = useQueryClient();
  return useQuery<ApiNotice[], BackendError>({
    queryKey: queryKeys.account.apiNotices,
    // Rust hands each notice out once: the ones already shown stay until closed.
    queryFn: async () => {
      const earlier = client.getQueryData<ApiNotice[]>(queryKeys.account.apiNotices) ?? [];
      const fresh = await backend.takeApiNotices();
      return fresh.length > 0 ? [...earlier, ...fresh] : earlier;
    },
    enabled,
    refetchOnWindowFocus: true,
  });
}

/** Closes a notice for good. */
export function useCloseApiNotice() {
  const client = useQueryClient();
  return (endpoint: string) =>
    client.setQueryData<ApiNotice[]>(queryKeys.account.apiNotices, (all) =>
      (all ?? []).filter((notice) => notice.endpoint !== endpoint),
    );
}

export function useSampleSpreadsheets(enabled: boolean) {
  return useQuery<Data<typeof backend.sampleSpreadsheets>, BackendError>({
    queryKey: queryKeys.sampleSpreadsheets,
    queryFn: backend.sampleSpreadsheets,
    staleTime: Infinity,
    enabled,
  });
}

export function useTaskTemplates() {
  return useQuery<Data<typeof backend.taskTemplates>, BackendError>({
    queryKey: queryKeys.taskTemplates,
    queryFn: backend.taskTemplates,
    staleTime: Infinity,
  });
}

/** `enabled` is false while there is no batch set up to open step 3 on. */
export function useStudyContext(enabled = true) {
  return useQuery<Data<typeof backend.studyContext>, BackendError>({
    queryKey: queryKeys.wizard.studyContext,
    queryFn: backend.studyContext,
    enabled,
  });
}

/**
 * Leaves the current batch for a new one; the wizard's drafts are read again, and the
 * old batch's step 3 is forgotten so it is never shown for the new one.
 */
export function useStartNewBatch(onStarted: () => void) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.startNewBatch>, BackendError, NewBatch>({
    mutationFn: backend.startNewBatch,
    onSuccess: async () => {
      client.removeQueries({ queryKey: queryKeys.wizard.studyContext });
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.wizard.dataDraft }),
        client.invalidateQueries({ queryKey: queryKeys.wizard.taskDraft }),
        client.invalidateQueries({ queryKey: queryKeys.wizard.taskData.all }),
      ]);
      onStarted();
    },
  });
}

/**
 * The Batches page's list, read each time the page opens. Live studies are followed by
 * Rust's pollers, whose events patch each study in place: nothing here polls. (Home reads
 * it too, while it still asks whether this is the researcher's first batch.)
 */
export function useBatchesOverview(enabled = true) {
  const client = useQueryClient();
  const query = useQuery<Data<typeof backend.batchesOverview>, BackendError>({
    queryKey: queryKeys.account.batchesOverview,
    queryFn: backend.batchesOverview,
    enabled,
  });
  const liveIds = (query.data?.studies ?? [])
    .filter((study) => study.phase !== "draft" && study.phase !== "completed" && study.phase !== "stopped")
    .map((study) => study.studyId)
    .join(",");
  useEffect(() => {
    if (!liveIds) return;
    const stops = liveIds.split(",").map((studyId) =>
      onStudyProgress(studyId, (progress) => patchOverview(client, progress)),
    );
    return () => {
      for (const stop of stops) void stop.then((unlisten) => unlisten());
    };
  }, [client, liveIds]);
  return query;
}

/** Puts a study's latest progress in the Batches page's list, if that list was read. */
function patchOverview(client: ReturnType<typeof useQueryClient>, progress: Data<typeof backend.studyProgress>) {
  client.setQueryData<Data<typeof backend.batchesOverview>>(queryKeys.account.batchesOverview, (overview) =>
    overview && {
      ...overview,
      studies: overview.studies.map((study) => (study.studyId === progress.studyId ? progress : study)),
    },
  );
}

/**
 * One study's progress, kept current by its poller's events (no reload, no polling here).
 * Each also updates the study in the Batches page's list, so going back shows it as it is.
 */
export function useStudyProgress(studyId: string) {
  const client = useQueryClient();
  const query = useQuery<Data<typeof backend.studyProgress>, BackendError>({
    queryKey: queryKeys.study.progress(studyId),
    queryFn: () => backend.studyProgress(studyId),
  });
  useEffect(() => {
    const stop = onStudyProgress(studyId, (progress) => {
      client.setQueryData(queryKeys.study.progress(studyId), progress);
      patchOverview(client, progress);
    });
    return () => void stop.then((unlisten) => unlisten());
  }, [client, studyId]);
  return query;
}

/** The study's analysed results (the last download; `refresh` downloads again). */
export function useStudyResults(studyId: string, enabled: boolean, onProgress: (stage: ResultsProgress) => void) {
  return useQuery<Data<typeof backend.studyResults>, BackendError>({
    queryKey: queryKeys.study.results(studyId),
    queryFn: () => backend.studyResults(studyId, false, onProgress),
    enabled,
  });
}

export function useRefreshResults(studyId: string, onProgress: (stage: ResultsProgress) => void) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.studyResults>, BackendError>({
    mutationFn: () => backend.studyResults(studyId, true, onProgress),
    onSuccess: (summary) => client.setQueryData(queryKeys.study.results(studyId), summary),
  });
}

/**
 * Each participant's scorecard, read again whenever the results change (a new download,
 * the pilots' answers counted in or out): `version` names the results it belongs to.
 */
export function useStudyScorecard(studyId: string, version: string) {
  return useQuery<Data<typeof backend.studyScorecard>, BackendError>({
    queryKey: queryKeys.study.scorecard(studyId, version),
    queryFn: () => backend.studyScorecard(studyId),
    // A new download (a place refilled after a rejection, say) keeps the last card on
    // screen until the new one is read, so the people chosen and an open dialog stay.
    placeholderData: keepPreviousData,
  });
}

/** The methods paragraph of a study's results, read again whenever the results change. */
export function useStudyMethods(studyId: string, version: string, enabled: boolean) {
  return useQuery<Data<typeof backend.studyMethods>, BackendError>({
    queryKey: queryKeys.study.methods.of(studyId, version),
    queryFn: () => backend.studyMethods(studyId),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/**
 * Agreement between people on a study's results, read again whenever the results change;
 * `participants` are the people the matrix shows (`null`: those who shared the most
 * items). The matrix shown stays while another choice of people is read.
 */
export function useStudyAgreement(studyId: string, version: string, participants: string[] | null) {
  return useQuery<Data<typeof backend.studyAgreement>, BackendError>({
    queryKey: queryKeys.study.agreement.of(studyId, version, participants),
    queryFn: () => backend.studyAgreement(studyId, participants),
    placeholderData: keepPreviousData,
  });
}

/** What a study's figures were worked out from: queries read from its results are keyed by it. */
export function resultsVersion(summary: ResultsSummary): string {
  return `${summary.downloadedAt}-${summary.pilotAnswers?.merged ?? false}`;
}

/** How many more items one "Show more" brings. */
export const ITEM_PAGE = 50;

/**
 * One question's flagged or to-review items: the summary's first ones (`first`, of
 * `total`), then, each time `showMore` is called, the next page from Rust. Only what the
 * researcher asked to see is ever in the page. `showFewer` goes back to the first ones.
 */
export function useItemList<Item>(
  studyId: string,
  version: string,
  questionId: string,
  list: ItemList,
  preview: { total: number; first: Item[] },
) {
  // Pages shown after the first items; pages read before stay cached for "Show more".
  const [pagesShown, setPagesShown] = useState(0);
  const query = useInfiniteQuery<ItemsPage, BackendError, { pages: ItemsPage[] }, readonly unknown[], number>({
    queryKey: queryKeys.study.itemList(studyId, version, questionId, list),
    queryFn: ({ pageParam }) => backend.studyItemList(studyId, questionId, list, pageParam, ITEM_PAGE),
    initialPageParam: preview.first.length,
    getNextPageParam: (last) => {
      const next = last.offset + last.items.length;
      return last.items.length > 0 && next < last.total ? next : undefined;
    },
    enabled: pagesShown > 0,
  });
  const pages = query.data?.pages ?? [];
  const more = pages.slice(0, pagesShown).flatMap((page) => page.items as Item[]);
  const items = [...preview.first, ...more];
  return {
    items,
    remaining: Math.max(0, preview.total - items.length),
    loading: query.isFetching,
    error: query.error,
    showMore: () => {
      // The first page loads once the list is enabled; later ones are asked for.
      if (pagesShown > 0 && pages.length === 0) void query.refetch();
      else if (pagesShown > 0 && pagesShown >= pages.length) void query.fetchNextPage();
      setPagesShown(pagesShown + 1);
    },
    showFewer: () => setPagesShown(0),
  };
}

/**
 * Works out the bootstrap intervals of a study's alpha (seconds on a large study; kept
 * on disk after); the agreement and methods read again once they are there. The work
 * carries on if the researcher leaves the page.
 */
export function useWorkOutAlphaIntervals(studyId: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.studyAlphaIntervals>, BackendError, void>({
    mutationKey: queryKeys.study.alphaIntervals(studyId),
    mutationFn: () => backend.studyAlphaIntervals(studyId),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.study.agreement.all(studyId) }),
        client.invalidateQueries({ queryKey: queryKeys.study.methods.all(studyId) }),
      ]),
  });
}

/** Whether a study's alpha intervals are being worked out (here or from an earlier visit to the page). */
export function useWorkingOutAlphaIntervals(studyId: string): boolean {
  return useIsMutating({ mutationKey: queryKeys.study.alphaIntervals(studyId) }) > 0;
}

/**
 * Who took part in a study, from the demographic export saved on this computer (nothing
 * is fetched from Prolific here); read again whenever the results change.
 */
export function useStudyDemographics(studyId: string, version: string) {
  return useQuery<Data<typeof backend.studyDemographics>, BackendError>({
    queryKey: queryKeys.study.demographics(studyId, version),
    queryFn: () => backend.studyDemographics(studyId, false),
    placeholderData: keepPreviousData,
  });
}

/** Fetches Prolific's demographic export for the study (only on the researcher's click). */
export function useFetchDemographics(studyId: string, version: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.studyDemographics>, BackendError>({
    mutationFn: () => backend.studyDemographics(studyId, true),
    onSuccess: (report) => client.setQueryData(queryKeys.study.demographics(studyId, version), report),
  });
}

/**
 * Approves or rejects one participant's submission; the scorecard shows its new state at
 * once, and the study's progress follows.
 */
export function useReviewParticipant(studyId: string, version: string) {
  const client = useQueryClient();
  return useMutation<
    Data<typeof backend.reviewParticipant>,
    BackendError,
    { participantId: string; decision: ReviewDecision }
  >({
    mutationFn: ({ participantId, decision }) => backend.reviewParticipant(studyId, participantId, decision),
    onSuccess: (outcome) => {
      client.setQueryData<Data<typeof backend.studyScorecard>>(
        queryKeys.study.scorecard(studyId, version),
        (card) => card && { ...card, states: { ...card.states, [outcome.participantId]: outcome.state } },
      );
      if (outcome.progress) client.setQueryData(queryKeys.study.progress(studyId), outcome.progress);
      void client.invalidateQueries({ queryKey: queryKeys.account.batchesOverview });
    },
  });
}

/**
 * The same decision for each chosen person, one at a time; the scorecard shows each new
 * state at once (those refused keep theirs), and the study's progress follows.
 */
export function useReviewParticipants(studyId: string, version: string) {
  const client = useQueryClient();
  return useMutation<
    Data<typeof backend.reviewParticipants>,
    BackendError,
    { participantIds: string[]; decision: ReviewDecision }
  >({
    mutationFn: ({ participantIds, decision }) => backend.reviewParticipants(studyId, participantIds, decision),
    onSuccess: (reviewed) => {
      const states: Record<string, ReviewState> = {};
      for (const person of reviewed.people) {
        if (person.outcome.kind !== "refused") states[person.participantId] = person.outcome.state;
      }
      client.setQueryData<Data<typeof backend.studyScorecard>>(
        queryKeys.study.scorecard(studyId, version),
        (card) => card && { ...card, states: { ...card.states, ...states } },
      );
      if (reviewed.progress) client.setQueryData(queryKeys.study.progress(studyId), reviewed.progress);
      else void client.invalidateQueries({ queryKey: queryKeys.study.progress(studyId) });
      void client.invalidateQueries({ queryKey: queryKeys.account.batchesOverview });
    },
  });
}

/** Bonuses set up for the study and not paid yet (after a restart too). */
export function usePendingBonuses(studyId: string) {
  return useQuery<Data<typeof backend.pendingBonuses>, BackendError>({
    queryKey: queryKeys.study.pendingBonuses(studyId),
    queryFn: () => backend.pendingBonuses(studyId),
  });
}

/** The workspace's participant groups (read when asked for: opening "Add to a group"). */
export function useParticipantGroups(enabled: boolean) {
  return useQuery<Data<typeof backend.participantGroups>, BackendError>({
    queryKey: queryKeys.account.participantGroups,
    queryFn: backend.participantGroups,
    enabled,
  });
}

/** Adds people to a group (made first when new); the groups and filters are read again. */
export function useRememberParticipants() {
  const client = useQueryClient();
  return useMutation<
    Data<typeof backend.rememberParticipants>,
    BackendError,
    { target: GroupTarget; participantIds: string[] }
  >({
    mutationFn: ({ target, participantIds }) => backend.rememberParticipants(target, participantIds),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.account.participantGroups });
      // The audience step lists the groups as filter choices.
      void client.invalidateQueries({ queryKey: queryKeys.wizard.studyContext });
    },
  });
}

/** How many people a message would reach now (`to` null: nobody chosen yet). */
export function useMessageAudience(studyId: string, to: MessageTo | null, enabled: boolean) {
  return useQuery<Data<typeof backend.messageAudience>, BackendError>({
    queryKey: queryKeys.study.messageAudience.of(studyId, to),
    queryFn: () => (to === null ? Promise.reject(new Error("nobody to reach")) : backend.messageAudience(studyId, to)),
    enabled: enabled && to !== null,
  });
}

/**
 * Sends a message as confirmed for `confirmedPeople`, once. When the audience changed
 * since, nothing is sent and it is counted again.
 */
export function useSendMessage(studyId: string) {
  const client = useQueryClient();
  return useMutation<
    Data<typeof backend.sendMessage>,
    BackendError,
    { to: MessageTo; body: string; confirmedPeople: number }
  >({
    mutationFn: ({ to, body, confirmedPeople }) => backend.sendMessage(studyId, to, body, confirmedPeople),
    onError: (error) => {
      if (error.code === "audienceChanged") {
        void client.invalidateQueries({ queryKey: queryKeys.study.messageAudience.all(studyId) });
      }
    },
  });
}

/** Says which data column holds the right answers to which question (null: none). */
export function useSetKnownAnswers(studyId: string, version: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.setKnownAnswers>, BackendError, KnownAnswersChoice | null>({
    mutationFn: (choice) => backend.setKnownAnswers(studyId, choice),
    onSuccess: (card) => {
      client.setQueryData(queryKeys.study.scorecard(studyId, version), card);
      // Known answers pin their items in the consensus: the summary was analysed again.
      void client.invalidateQueries({ queryKey: queryKeys.study.results(studyId), exact: true });
    },
  });
}

/** Counts the pilots' answers in the study's results, or keeps them apart. */
export function useCountPilotAnswers(studyId: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.countPilotAnswers>, BackendError, boolean>({
    mutationFn: (merged) => backend.countPilotAnswers(studyId, merged),
    onSuccess: (summary) => client.setQueryData(queryKeys.study.results(studyId), summary),
  });
}

/** Opens a link in the system browser, once the researcher has said yes. */
export function useOpenInBrowser() {
  return useMutation<null, BackendError, string>({ mutationFn: backend.openInBrowser });
}

/** The study's second round, if one was started, as of the results downloaded at `downloadedAt`. */
export function useTopUpView(studyId: string, downloadedAt: string) {
  return useQuery<Data<typeof backend.topUpView>, BackendError>({
    queryKey: queryKeys.study.topUp.of(studyId, downloadedAt),
    queryFn: () => backend.topUpView(studyId),
  });
}

/** Plans a second round: its items, places and exact cost (nothing is spent). */
export function usePlanTopUp(studyId: string) {
  return useMutation<TopUpPlan, BackendError, TopUpRequest>({
    mutationFn: (request) => backend.planTopUp(studyId, request),
  });
}

/** Launches the confirmed second round once; the study's round and the Batches page are read again. */
export function useLaunchTopUp(studyId: string) {
  const client = useQueryClient();
  type Launch = { plan: TopUpPlan; onProgress: (step: TopUpProgress) => void };
  return useMutation<Data<typeof backend.launchTopUp>, BackendError, Launch>({
    mutationFn: ({ plan, onProgress }) => backend.launchTopUp(studyId, plan, onProgress),
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.study.topUp.all(studyId) }),
        client.invalidateQueries({ queryKey: queryKeys.account.batchesOverview }),
      ]);
    },
  });
}

/** "Run again with new data": the wizard's drafts replaced by the study's task and settings. */
export function useRunAgainWithNewData(studyId: string, onStarted: () => void) {
  const client = useQueryClient();
  return useMutation<null, BackendError, void>({
    mutationFn: () => backend.runAgainWithNewData(studyId),
    onSuccess: async () => {
      client.removeQueries({ queryKey: queryKeys.wizard.studyContext });
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.wizard.dataDraft }),
        client.invalidateQueries({ queryKey: queryKeys.wizard.taskDraft }),
        client.invalidateQueries({ queryKey: queryKeys.wizard.taskData.all }),
      ]);
      onStarted();
    },
  });
}

// ---------------------------------------------------------------------------------------
// The shell: logs, diagnostics, the update, files opened with Batchdesk.

export const useOpenLogsFolder = () => useBackendMutation<null>(backend.openLogsFolder);

/** The text "Copy diagnostics" copies. */
export const useDiagnostics = (callbacks?: Callbacks<string>) =>
  useBackendMutation<string>(backend.diagnostics, {}, callbacks);

/** Downloads and installs the update found; `onProgress` hears each step. */
export const useInstallUpdate = (onProgress: (progress: UpdateProgress) => void, callbacks?: Callbacks<null>) =>
  useBackendMutation<null>(() => backend.installUpdate(onProgress), {}, callbacks);

/**
 * Files the system asked Batchdesk to open: the one waiting at start (given on the
 * command line), then each one Rust says arrived. A file taken is always handed to
 * `onFile`, even if the listener was stopped meanwhile: it cannot be taken twice.
 */
export function useOpenedFiles(onFile: (file: HeldFile) => void) {
  const handle = useEffectEvent(onFile);
  useEffect(() => {
    const take = async () => {
      const file = await backend.takeOpenedFile().catch(() => null);
      if (file) handle(file);
    };
    void take();
    const unlisten = onFileOpened(() => void take());
    return () => {
      void unlisten.then((stop) => stop());
    };
  }, []);
}

// ---------------------------------------------------------------------------------------
// Step 1: the data file.

/** After a file is chosen, read again or sent, the drafts and the task's view of the data are read again. */
function refreshDrafts(client: QueryClient) {
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.wizard.dataDraft }),
    client.invalidateQueries({ queryKey: queryKeys.wizard.taskDraft }),
    client.invalidateQueries({ queryKey: queryKeys.wizard.taskData.all }),
  ]);
}

/** The native file chooser; the file behind a handle, `null` when cancelled. */
export const useChooseDataFile = (callbacks?: Callbacks<HeldFile | null>) =>
  useBackendMutation<HeldFile | null>(backend.chooseDataFile, {}, callbacks);

/** A sample spreadsheet put into the app's folder, behind a handle. */
export const useOpenSampleSpreadsheet = (callbacks?: Callbacks<HeldFile, string>) =>
  useBackendMutation<HeldFile, string>(backend.openSampleSpreadsheet, {}, callbacks);

/** Reads the file behind a handle with the CSV doctor; `onProgress` hears every megabyte. */
export function useInspectDataFile<V extends { file: HeldFile }>(
  onProgress: (progress: ReadProgress) => void,
  callbacks?: Callbacks<InspectedFile, V>,
) {
  return useBackendMutation<InspectedFile, V>(({ file }) => backend.inspectDataFile(file.handle, onProgress), {}, callbacks);
}

/** Writes a fixed copy of the file behind a handle and checks it; the copy has a handle of its own. */
export const useFixDataFile = (onProgress: (progress: FixProgress) => void, callbacks?: Callbacks<FixedFile, string>) =>
  useBackendMutation<FixedFile, string>((handle) => backend.fixDataFile(handle, onProgress), {}, callbacks);

/** Stops the check or fix in progress (it then fails as `cancelled`). */
export const useCancelInspection = () => useBackendMutation<null>(backend.cancelInspection);

/**
 * Saves the chosen file and the copy to send, by handle. A file read again may have
 * changed at the same handle: the task's view of the data and its batch are read again.
 */
export function useChooseData() {
  const client = useQueryClient();
  return useBackendMutation<DataDraftView, { source: string; working: string }>(
    ({ source, working }) => backend.chooseData(source, working),
    { onSuccess: () => refreshDrafts(client) },
  );
}

export const useRevealHeldFile = () => useBackendMutation<null, string>(backend.revealHeldFile);

/** How the checked file is sent: as it is, or (after Prolific refused rows) a copy without them. */
export type UploadHow = "as-is" | "without-refused";

/** Uploads the draft's file and follows it to READY; `onProgress` hears each stage. */
export function useUploadData(onProgress: (progress: UploadProgress) => void, callbacks?: Callbacks<ReadyDataset, UploadHow>) {
  const client = useQueryClient();
  return useBackendMutation<ReadyDataset, UploadHow>(
    (how) => (how === "as-is" ? backend.uploadData(onProgress) : backend.uploadWithoutRejectedRows(onProgress)),
    {
      // A new dataset leaves a batch set up on the old one behind: the task draft says so.
      onSettled: () =>
        Promise.all([
          client.invalidateQueries({ queryKey: queryKeys.wizard.dataDraft }),
          client.invalidateQueries({ queryKey: queryKeys.wizard.taskDraft }),
        ]),
    },
    callbacks,
  );
}

export const useCancelUpload = () => useBackendMutation<null>(backend.cancelUpload);

// ---------------------------------------------------------------------------------------
// Step 2: the task.

export const useApplyTemplate = (callbacks?: Callbacks<AppliedTemplate, string>) =>
  useBackendMutation<AppliedTemplate, string>(backend.applyTemplate, {}, callbacks);

/** The native file chooser for a template file; `null` when cancelled. */
export const useOpenTaskTemplate = (callbacks?: Callbacks<AppliedTemplate | null>) =>
  useBackendMutation<AppliedTemplate | null>(backend.openTaskTemplate, {}, callbacks);

/** The native save dialog; the saved file's path, or `null` when cancelled. */
export const useSaveTaskTemplate = () =>
  useBackendMutation<string | null, { name: string; design: TaskDesign }>(({ name, design }) =>
    backend.saveTaskTemplate(name, design),
  );

/** Saves the design; answers its problems and its HTML as cleaned for the preview. */
export const useSaveTaskDesign = (callbacks?: Callbacks<CheckedDesign, TaskDesign>) =>
  useBackendMutation<CheckedDesign, TaskDesign>(backend.saveTaskDesign, {}, callbacks);

/**
 * Sets up the batch from `design`, following it to READY: one call saves this very design
 * and sets the batch up from it.
 */
export function useSetUpBatch(
  onProgress: (progress: SetupProgress) => void,
  callbacks?: Callbacks<SetupOutcome, TaskDesign>,
) {
  const client = useQueryClient();
  return useBackendMutation<SetupOutcome, TaskDesign>(
    (design) => backend.setUpBatch(design, onProgress),
    { onSettled: () => client.invalidateQueries({ queryKey: queryKeys.wizard.taskDraft }) },
    callbacks,
  );
}

export const useCancelSetup = () => useBackendMutation<null>(backend.cancelSetup);

// ---------------------------------------------------------------------------------------
// Step 3: the study's settings, its pilot and its launch.

/** Saves the settings; answers what they come to. The pilot pays the same reward: its price follows. */
export function useSaveStudySettings(callbacks?: Callbacks<CheckedSettings, StudySettings>) {
  const client = useQueryClient();
  return useBackendMutation<CheckedSettings, StudySettings>(
    backend.saveStudySettings,
    { onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.wizard.pilot.view }) },
    callbacks,
  );
}

/** How many participants the audience matches. */
export function useAudienceSize(filters: AudienceFilter[]) {
  return useQuery<Data<typeof backend.audienceSize>, BackendError>({
    queryKey: queryKeys.wizard.audienceSize(filters),
    queryFn: () => backend.audienceSize(filters),
  });
}

/** The cost calculator's exact total for `settings` on a batch of `assignments`, next to the balance. */
export function usePriceQuote(settings: StudySettings, assignments: number) {
  return useQuery<Data<typeof backend.priceQuote>, BackendError>({
    queryKey: queryKeys.wizard.price.of(settings, assignments),
    queryFn: () => backend.priceQuote(settings),
  });
}

/**
 * What a reward comes to per hour, and the reward paying the recommended rate: Rust's
 * rules, asked as the researcher types (the last answer stays while the next is read).
 */
export function useHourlyRates(reward: number, minutes: number, recommendedHourly: number | null) {
  return useQuery<HourlyRates, BackendError>({
    queryKey: queryKeys.hourlyRates(reward, minutes, recommendedHourly),
    queryFn: () => backend.hourlyRates(reward, minutes, recommendedHourly),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/**
 * Creates the draft study or publishes it at the quote confirmed (`null`: a draft). One
 * call saves these very settings and launches on them; if they are not the ones the quote
 * priced, Rust refuses and nothing is spent.
 */
export function useLaunchStudy(
  onProgress: (stage: LaunchStage) => void,
  callbacks?: Callbacks<LaunchOutcome, { settings: StudySettings; confirmed: PriceQuote | null }>,
) {
  const client = useQueryClient();
  return useBackendMutation<LaunchOutcome, { settings: StudySettings; confirmed: PriceQuote | null }>(
    ({ settings, confirmed }) => backend.launchStudy(settings, confirmed, onProgress),
    {
      onSuccess: async () => {
        await client.invalidateQueries({ queryKey: queryKeys.account.batchesOverview });
        // New batch then offers a new batch at once, not this one from a stale answer.
        void client.invalidateQueries({ queryKey: queryKeys.wizard.studyContext });
      },
    },
    callbacks,
  );
}

/** A test run of the study; `email` registers the test participant the first time. */
export function useTestRun() {
  const client = useQueryClient();
  return useBackendMutation<TestRun, string | null>(backend.testRun, {
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.wizard.studyContext }),
  });
}

/** The pilot of the wizard's batch: its size, and how far it has got. */
export function usePilotView() {
  return useQuery<PilotView, BackendError>({ queryKey: queryKeys.wizard.pilot.view, queryFn: backend.pilotView });
}

/** The running pilot's report, followed until every place has a finished submission. */
export function usePilotReport() {
  return useQuery<PilotReport, BackendError>({
    queryKey: queryKeys.wizard.pilot.report,
    queryFn: backend.pilotReport,
    refetchInterval: (query) => (query.state.data?.complete ? false : 5000),
  });
}

/** Makes the pilot's batch on the first rows (free), reporting each step, then prices it. */
export function usePreparePilot(onProgress: (step: PilotProgress) => void, callbacks?: Callbacks<PriceQuote>) {
  const client = useQueryClient();
  return useBackendMutation<PriceQuote>(
    async () => {
      await backend.preparePilot(onProgress);
      return backend.pilotQuote();
    },
    { onSettled: () => client.invalidateQueries({ queryKey: queryKeys.wizard.pilot.view }) },
    callbacks,
  );
}

/** Stops preparing the pilot (what was made is carried on with next time). */
export const useCancelPilot = () => useBackendMutation<null>(backend.cancelPilot);

/** Publishes the pilot at exactly the quote the researcher confirmed, once. */
export function useLaunchPilot() {
  const client = useQueryClient();
  return useBackendMutation<LaunchOutcome, PriceQuote>((confirmed) => backend.launchPilot(confirmed, () => undefined), {
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.wizard.pilot.view });
      void client.invalidateQueries({ queryKey: queryKeys.wizard.pilot.report });
    },
  });
}

/** Leaves the pilot that ran for a fresh one, priced and confirmed again. */
export function useRunAnotherPilot() {
  const client = useQueryClient();
  return useBackendMutation<PilotView>(backend.runAnotherPilot, {
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.wizard.pilot.view });
      client.removeQueries({ queryKey: queryKeys.wizard.pilot.report });
    },
  });
}

/** Applies the choices made after the pilot to the full study's settings, which are priced again. */
export function useContinueAfterPilot(callbacks?: Callbacks<StudySettings, ContinueChoice>) {
  const client = useQueryClient();
  return useBackendMutation<StudySettings, ContinueChoice>(
    backend.continueAfterPilot,
    { onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.wizard.price.all }) },
    callbacks,
  );
}

// ---------------------------------------------------------------------------------------
// A study's page: actions, the draft's publish, downloads, the responses table, notices.

/**
 * After an action: the study as Rust read it then (or read again), and the Batches
 * page's list read again. Rust's poller sends what follows.
 */
function settleProgress(client: QueryClient, studyId: string, next: StudyProgress | null) {
  if (next) client.setQueryData(queryKeys.study.progress(studyId), next);
  else void client.invalidateQueries({ queryKey: queryKeys.study.progress(studyId) });
  void client.invalidateQueries({ queryKey: queryKeys.account.batchesOverview });
}

/** Pause, resume or stop the study. */
export function useCommandStudy(studyId: string, callbacks?: Callbacks<StudyProgress, StudyCommand>) {
  const client = useQueryClient();
  return useBackendMutation<StudyProgress, StudyCommand>(
    (command) => backend.commandStudy(studyId, command),
    { onSuccess: (progress) => settleProgress(client, studyId, progress) },
    callbacks,
  );
}

/** What adding `extraPerItem` people to every item would cost (nothing is spent). */
export const useQuoteMorePeople = (studyId: string) =>
  useBackendMutation<PlacesQuote, number>((extraPerItem) => backend.quoteMorePeople(studyId, extraPerItem));

/** Makes the change the researcher confirmed from the quote, once. */
export function useAddPeople(studyId: string) {
  const client = useQueryClient();
  return useBackendMutation<StudyProgress, PlacesQuote>((quote) => backend.addPeople(studyId, quote), {
    onSuccess: (progress) => settleProgress(client, studyId, progress),
  });
}

export function useApproveAll(studyId: string) {
  const client = useQueryClient();
  return useBackendMutation<ApproveOutcome>(() => backend.approveAll(studyId), {
    onSuccess: (outcome) => settleProgress(client, studyId, outcome.progress),
  });
}

/** What publishing the draft study would cost now, against the balance. */
export const useQuoteDraftStudy = (studyId: string) =>
  useBackendMutation<PriceQuote>(() => backend.quoteDraftStudy(studyId));

/** Publishes the draft study at the quote the researcher confirmed (refused if it changed). */
export function usePublishDraftStudy(studyId: string) {
  const client = useQueryClient();
  return useBackendMutation<LaunchOutcome, PriceQuote>((confirmed) => backend.publishDraftStudy(studyId, confirmed), {
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.study.progress(studyId) }),
  });
}

/** Asks where to save, then writes the download; `null` when the dialog was cancelled. */
export const useSaveResults = (studyId: string, title: string) =>
  useBackendMutation<SavedFile | null, DownloadKind>((kind) => backend.saveResults(studyId, title, kind));

export const useShowInFolder = () => useBackendMutation<null, string>(backend.showInFolder);

/**
 * Reads a page of the responses table when the table asks for it. Each page is read
 * afresh and dropped once handed over: the table keeps the pages it shows, and a large
 * study's pages would otherwise pile up in memory.
 */
export function useFetchResultsRows(studyId: string) {
  const client = useQueryClient();
  return (query: RowsQuery) =>
    client.fetchQuery<RowsPage, BackendError>({
      queryKey: queryKeys.study.rows(studyId, query),
      queryFn: () => backend.resultsRows(studyId, query),
      gcTime: 0,
    });
}

/** The notices raised about the study while the page is open (they are also OS notifications), latest first. */
export function useStudyNotices(studyId: string, keep: number): [Notice[], (notice: Notice) => void] {
  const [notices, setNotices] = useState<Notice[]>([]);
  useEffect(() => {
    const stop = onStudyNotice(studyId, (notice) => setNotices((earlier) => [notice, ...earlier].slice(0, keep)));
    return () => void stop.then((unlisten) => unlisten());
  }, [studyId, keep]);
  return [notices, (notice) => setNotices((shown) => shown.filter((other) => other !== notice))];
}

// ---------------------------------------------------------------------------------------
// Bonuses: set up (nothing paid), paid at that total once, or put aside.

export function useSetUpBonuses(studyId: string) {
  const client = useQueryClient();
  return useBackendMutation<BonusQuote, BonusRow[]>((rows) => backend.setUpBonuses(studyId, rows), {
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.study.pendingBonuses(studyId) }),
  });
}

export const usePayBonuses = (studyId: string, callbacks?: Callbacks<BonusPaid, BonusQuote>) =>
  useBackendMutation<BonusPaid, BonusQuote>(
    (quote) => backend.payBonuses(studyId, quote.bulkBonusId, quote.total),
    {},
    callbacks,
  );

export const usePutBonusesAside = (studyId: string, callbacks?: Callbacks<null, string>) =>
  useBackendMutation<null, string>((bulkBonusId) => backend.putBonusesAside(studyId, bulkBonusId), {}, callbacks);

/** Bonuses set up and not paid yet are read again (after one is paid or put aside). */
export function useRefreshPendingBonuses(studyId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.study.pendingBonuses(studyId) });
}

// ---------------------------------------------------------------------------------------
// Files dropped on the window.

/**
 * Files dropped anywhere on the window (handles and names, never paths); `onHover` says
 * whether files are being dragged over it.
 */
export function useFilesDropped(onDrop: (files: HeldFile[]) => void, onHover: (hovering: boolean) => void) {
  const drop = useEffectEvent(onDrop);
  const hover = useEffectEvent(onHover);
  useEffect(() => {
    const unlisten = onFilesDropped(
      (files) => drop(files),
      (hovering) => hover(hovering),
    );
    return () => {
      void unlisten.then((stop) => stop());
    };
  }, []);
}
