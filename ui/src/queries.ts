/** TanStack Query hooks for everything that comes from Rust, keyed in one place. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useIsMutating,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";

import { useEffect, useState } from "react";

import {
  type ApiNotice,
  backend,
  type BackendError,
  type GroupTarget,
  type ItemList,
  type ItemsPage,
  type KnownAnswersChoice,
  type MessageTo,
  type NewBatch,
  type ReviewDecision,
  type ReviewState,
  onStudyProgress,
  type ResultsProgress,
  type ResultsSummary,
  type TopUpPlan,
  type TopUpProgress,
  type TopUpRequest,
} from "./backend";

export const queryKeys = {
  appInfo: ["app-info"] as const,
  updateSettings: ["update-settings"] as const,
  updateCheck: ["update-check"] as const,
  connection: ["connection"] as const,
  workspaces: ["account", "workspaces"] as const,
  workspaceDetails: (workspaceId: string) => ["account", "workspace", workspaceId] as const,
  // Under "account": a change of connection (practice or real) drops it.
  dataDraft: ["account", "draft", "data"] as const,
  taskDraft: ["account", "draft", "task"] as const,
  /** The data the task runs on, per working file (by its handle). */
  taskData: (workingFile: string) => ["account", "task-data", workingFile] as const,
  /** Every file's task data: read again when the data step reads or sends a file. */
  allTaskData: ["account", "task-data"] as const,
  taskTemplates: ["task-templates"] as const,
  sampleSpreadsheets: ["sample-spreadsheets"] as const,
  /** Under "account": notices are per connection. */
  apiNotices: ["account", "api-notices"] as const,
  studyContext: ["account", "study-context"] as const,
  batchesOverview: ["account", "batches-overview"] as const,
  studyProgress: (studyId: string) => ["account", "study-progress", studyId] as const,
  studyResults: (studyId: string) => ["account", "study-results", studyId] as const,
  topUp: (studyId: string) => ["account", "top-up", studyId] as const,
  /** Read again with each download of the study's results (the agreement now changes). */
  topUpOf: (studyId: string, downloadedAt: string) => ["account", "top-up", studyId, downloadedAt] as const,
};

type Data<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export function useAppInfo() {
  return useQuery<Data<typeof backend.appInfo>, BackendError>({
    queryKey: queryKeys.appInfo,
    queryFn: backend.appInfo,
    staleTime: Infinity,
  });
}

export function useUpdateSettings() {
  return useQuery<Data<typeof backend.updateSettings>, BackendError>({
    queryKey: queryKeys.updateSettings,
    queryFn: backend.updateSettings,
    staleTime: Infinity,
  });
}

export function useSetCheckUpdatesAtStart() {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.updateSettings>, BackendError, boolean>({
    mutationFn: backend.setCheckUpdatesAtStart,
    onSuccess: (settings) => client.setQueryData(queryKeys.updateSettings, settings),
  });
}

/**
 * The update check, once per run: started by itself when `automatic` (this build has
 * an updater and the researcher left the check at start on), or by `refetch` ("Check
 * now").
 */
export function useUpdateCheck(automatic: boolean) {
  return useQuery<Data<typeof backend.checkForUpdate>, BackendError>({
    queryKey: queryKeys.updateCheck,
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
      client.removeQueries({ queryKey: ["account"] });
      await client.invalidateQueries({ queryKey: queryKeys.connection });
    },
  });
}

export const useStartPractice = () => useConnectionChange<void>(() => backend.startPractice());
export const useConnectProlific = () => useConnectionChange<string>((token) => backend.connectProlific(token));
export const useSignOut = () => useConnectionChange<void>(() => backend.signOut());

export function useWorkspaces() {
  return useQuery<Data<typeof backend.workspaces>, BackendError>({
    queryKey: queryKeys.workspaces,
    queryFn: backend.workspaces,
  });
}

export function useWorkspaceDetails(workspaceId: string | null | undefined) {
  return useQuery<Data<typeof backend.workspaceDetails>, BackendError>({
    queryKey: queryKeys.workspaceDetails(workspaceId ?? ""),
    queryFn: () => backend.workspaceDetails(workspaceId ?? ""),
    enabled: Boolean(workspaceId),
  });
}

export function useChooseWorkspace() {
  const client = useQueryClient();
  return useMutation<null, BackendError, string>({
    mutationFn: backend.chooseWorkspace,
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.workspaces }),
  });
}

export function useChooseProject(workspaceId: string) {
  const client = useQueryClient();
  return useMutation<null, BackendError, string>({
    mutationFn: (projectId) => backend.chooseProject(workspaceId, projectId),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.workspaceDetails(workspaceId) }),
  });
}

export function useCreateProject(workspaceId: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.createProject>, BackendError, string>({
    mutationFn: (title) => backend.createProject(workspaceId, title),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.workspaceDetails(workspaceId) }),
  });
}

export function useDataDraft(enabled = true) {
  return useQuery<Data<typeof backend.dataDraft>, BackendError>({
    queryKey: queryKeys.dataDraft,
    queryFn: backend.dataDraft,
    enabled,
  });
}

export function useTaskDraft(enabled = true) {
  return useQuery<Data<typeof backend.taskDraft>, BackendError>({
    queryKey: queryKeys.taskDraft,
    queryFn: backend.taskDraft,
    enabled,
  });
}

/** Reads the working file again only when it changes. */
export function useTaskData(workingPath: string | null | undefined) {
  return useQuery<Data<typeof backend.taskData>, BackendError>({
    queryKey: queryKeys.taskData(workingPath ?? ""),
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
    queryKey: queryKeys.apiNotices,
    // Rust hands each notice out once: the ones already shown stay until closed.
    queryFn: async () => {
      const earlier = client.getQueryData<ApiNotice[]>(queryKeys.apiNotices) ?? [];
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
    client.setQueryData<ApiNotice[]>(queryKeys.apiNotices, (all) =>
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
    queryKey: queryKeys.studyContext,
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
      client.removeQueries({ queryKey: queryKeys.studyContext });
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.dataDraft }),
        client.invalidateQueries({ queryKey: queryKeys.taskDraft }),
        client.invalidateQueries({ queryKey: queryKeys.allTaskData }),
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
    queryKey: queryKeys.batchesOverview,
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
  client.setQueryData<Data<typeof backend.batchesOverview>>(queryKeys.batchesOverview, (overview) =>
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
    queryKey: queryKeys.studyProgress(studyId),
    queryFn: () => backend.studyProgress(studyId),
  });
  useEffect(() => {
    const stop = onStudyProgress(studyId, (progress) => {
      client.setQueryData(queryKeys.studyProgress(studyId), progress);
      patchOverview(client, progress);
    });
    return () => void stop.then((unlisten) => unlisten());
  }, [client, studyId]);
  return query;
}

/** The study's analysed results (the last download; `refresh` downloads again). */
export function useStudyResults(studyId: string, enabled: boolean, onProgress: (stage: ResultsProgress) => void) {
  return useQuery<Data<typeof backend.studyResults>, BackendError>({
    queryKey: queryKeys.studyResults(studyId),
    queryFn: () => backend.studyResults(studyId, false, onProgress),
    enabled,
  });
}

export function useRefreshResults(studyId: string, onProgress: (stage: ResultsProgress) => void) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.studyResults>, BackendError>({
    mutationFn: () => backend.studyResults(studyId, true, onProgress),
    onSuccess: (summary) => client.setQueryData(queryKeys.studyResults(studyId), summary),
  });
}

/**
 * Each participant's scorecard, read again whenever the results change (a new download,
 * the pilots' answers counted in or out): `version` names the results it belongs to.
 */
export function useStudyScorecard(studyId: string, version: string) {
  return useQuery<Data<typeof backend.studyScorecard>, BackendError>({
    queryKey: [...queryKeys.studyResults(studyId), "scorecard", version],
    queryFn: () => backend.studyScorecard(studyId),
    // A new download (a place refilled after a rejection, say) keeps the last card on
    // screen until the new one is read, so the people chosen and an open dialog stay.
    placeholderData: keepPreviousData,
  });
}

/** The methods paragraph of a study's results, read again whenever the results change. */
export function useStudyMethods(studyId: string, version: string, enabled: boolean) {
  return useQuery<Data<typeof backend.studyMethods>, BackendError>({
    queryKey: [...queryKeys.studyResults(studyId), "methods", version],
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
    queryKey: [...queryKeys.studyResults(studyId), "agreement", version, participants],
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
    queryKey: [...queryKeys.studyResults(studyId), "item-list", version, questionId, list],
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

/** Where the work on a study's alpha intervals is followed, so leaving the page and coming back shows it still going. */
const alphaIntervalsKey = (studyId: string) => [...queryKeys.studyResults(studyId), "alpha-intervals"];

/**
 * Works out the bootstrap intervals of a study's alpha (seconds on a large study; kept
 * on disk after); the agreement and methods read again once they are there. The work
 * carries on if the researcher leaves the page.
 */
export function useWorkOutAlphaIntervals(studyId: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.studyAlphaIntervals>, BackendError, void>({
    mutationKey: alphaIntervalsKey(studyId),
    mutationFn: () => backend.studyAlphaIntervals(studyId),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: [...queryKeys.studyResults(studyId), "agreement"] }),
        client.invalidateQueries({ queryKey: [...queryKeys.studyResults(studyId), "methods"] }),
      ]),
  });
}

/** Whether a study's alpha intervals are being worked out (here or from an earlier visit to the page). */
export function useWorkingOutAlphaIntervals(studyId: string): boolean {
  return useIsMutating({ mutationKey: alphaIntervalsKey(studyId) }) > 0;
}

/**
 * Who took part in a study, from the demographic export saved on this computer (nothing
 * is fetched from Prolific here); read again whenever the results change.
 */
export function useStudyDemographics(studyId: string, version: string) {
  return useQuery<Data<typeof backend.studyDemographics>, BackendError>({
    queryKey: [...queryKeys.studyResults(studyId), "demographics", version],
    queryFn: () => backend.studyDemographics(studyId, false),
    placeholderData: keepPreviousData,
  });
}

/** Fetches Prolific's demographic export for the study (only on the researcher's click). */
export function useFetchDemographics(studyId: string, version: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.studyDemographics>, BackendError>({
    mutationFn: () => backend.studyDemographics(studyId, true),
    onSuccess: (report) => client.setQueryData([...queryKeys.studyResults(studyId), "demographics", version], report),
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
        [...queryKeys.studyResults(studyId), "scorecard", version],
        (card) => card && { ...card, states: { ...card.states, [outcome.participantId]: outcome.state } },
      );
      if (outcome.progress) client.setQueryData(queryKeys.studyProgress(studyId), outcome.progress);
      void client.invalidateQueries({ queryKey: queryKeys.batchesOverview });
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
        [...queryKeys.studyResults(studyId), "scorecard", version],
        (card) => card && { ...card, states: { ...card.states, ...states } },
      );
      if (reviewed.progress) client.setQueryData(queryKeys.studyProgress(studyId), reviewed.progress);
      else void client.invalidateQueries({ queryKey: queryKeys.studyProgress(studyId) });
      void client.invalidateQueries({ queryKey: queryKeys.batchesOverview });
    },
  });
}

/** Bonuses set up for the study and not paid yet (after a restart too). */
export function usePendingBonuses(studyId: string) {
  return useQuery<Data<typeof backend.pendingBonuses>, BackendError>({
    queryKey: [...queryKeys.studyResults(studyId), "pending-bonuses"],
    queryFn: () => backend.pendingBonuses(studyId),
  });
}

/** The workspace's participant groups (read when asked for: opening "Add to a group"). */
export function useParticipantGroups(enabled: boolean) {
  return useQuery<Data<typeof backend.participantGroups>, BackendError>({
    queryKey: ["account", "participant-groups"],
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
      void client.invalidateQueries({ queryKey: ["account", "participant-groups"] });
      // The audience step lists the groups as filter choices.
      void client.invalidateQueries({ queryKey: queryKeys.studyContext });
    },
  });
}

/** How many people a message would reach now (`to` null: nobody chosen yet). */
export function useMessageAudience(studyId: string, to: MessageTo | null, enabled: boolean) {
  return useQuery<Data<typeof backend.messageAudience>, BackendError>({
    queryKey: [...queryKeys.studyResults(studyId), "message-audience", to],
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
      if (error.code === "audience_changed") {
        void client.invalidateQueries({ queryKey: [...queryKeys.studyResults(studyId), "message-audience"] });
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
      client.setQueryData([...queryKeys.studyResults(studyId), "scorecard", version], card);
      // Known answers pin their items in the consensus: the summary was analysed again.
      void client.invalidateQueries({ queryKey: queryKeys.studyResults(studyId), exact: true });
    },
  });
}

/** Counts the pilots' answers in the study's results, or keeps them apart. */
export function useCountPilotAnswers(studyId: string) {
  const client = useQueryClient();
  return useMutation<Data<typeof backend.countPilotAnswers>, BackendError, boolean>({
    mutationFn: (merged) => backend.countPilotAnswers(studyId, merged),
    onSuccess: (summary) => client.setQueryData(queryKeys.studyResults(studyId), summary),
  });
}

/** Opens a link in the system browser, once the researcher has said yes. */
export function useOpenInBrowser() {
  return useMutation<null, BackendError, string>({ mutationFn: backend.openInBrowser });
}

/** The study's second round, if one was started, as of the results downloaded at `downloadedAt`. */
export function useTopUpView(studyId: string, downloadedAt: string) {
  return useQuery<Data<typeof backend.topUpView>, BackendError>({
    queryKey: queryKeys.topUpOf(studyId, downloadedAt),
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
        client.invalidateQueries({ queryKey: queryKeys.topUp(studyId) }),
        client.invalidateQueries({ queryKey: queryKeys.batchesOverview }),
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
      client.removeQueries({ queryKey: queryKeys.studyContext });
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.dataDraft }),
        client.invalidateQueries({ queryKey: queryKeys.taskDraft }),
        client.invalidateQueries({ queryKey: queryKeys.allTaskData }),
      ]);
      onStarted();
    },
  });
}
