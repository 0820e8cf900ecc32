import { Alert, Anchor, Button, Group, Loader, Paper, Progress, Stack, Text, Title } from "@mantine/core";
import { IconBell, IconInbox, IconRefresh } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";

import type { NoticeKind, ResultsProgress, StudyPhase, StudyProgress } from "../backend";
import { say, useTranslation } from "../i18n";
import { PilotAnswersChoice } from "../results/PilotAnswersChoice";
import { AgreementPanel } from "../results/AgreementPanel";
import { ConsensusPanel } from "../results/ConsensusPanel";
import { MethodsParagraph } from "../results/MethodsParagraph";
import { ScorecardPanel } from "../results/ScorecardPanel";
import { SecondRound, SecondRoundAnswersNote } from "../results/SecondRound";
import {
  useAddPeople,
  useApproveAll,
  useCommandStudy,
  useFetchResultsRows,
  usePublishDraftStudy,
  useQuoteDraftStudy,
  useQuoteMorePeople,
  resultsVersion,
  useRefreshResults,
  useSaveResults,
  useShowInFolder,
  useStudyNotices,
  useStudyProgress,
  useStudyResults,
} from "../queries";
import { DownloadsMenu, ProgressPanel, ResponsesTable, ResultsOverview, StudyActions } from "../results";
import { formatBytes, formatDateTime } from "../format";
import { PublishDraft } from "../results/PublishDraft";
import { WhoTookPartPanel } from "../results/WhoTookPartPanel";
import { EmptyState } from "../shell/EmptyState";
import { ErrorNotice } from "../shell/ErrorNotice";

/** Phases in which new answers may have arrived since the last download. */
const RESULTS_PHASES: StudyPhase[] = ["collecting", "paused", "awaitingReview", "completed", "stopped"];

/** One study after launch: live progress, actions, results and downloads. */
export function StudyPage() {
  const { t } = useTranslation("results");
  const { studyId = "" } = useParams();
  const progress = useStudyProgress(studyId);
  // The last three notices raised while the page is open.
  const [notices, dismiss] = useStudyNotices(studyId, 3);
  return (
    <Stack gap="lg" maw={1100}>
      <Anchor component={Link} to="/batches" size="sm">
        {t("studyPage.back")}
      </Anchor>
      {progress.isPending && (
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text size="sm">{t("studyPage.asking")}</Text>
        </Group>
      )}
      {progress.isError && <ErrorNotice title={t("studyPage.readFailed")} error={progress.error} />}
      {notices.map((notice, index) => (
        <Alert
          key={`${notice.kind}-${index}`}
          color={notice.kind === "needsAttention" ? "red" : alertsWithPause.includes(notice.kind) ? "orange" : "teal"}
          variant="light"
          icon={<IconBell aria-hidden />}
          title={say(notice.title)}
          data-testid="study-notice"
          data-kind={notice.kind}
          withCloseButton
          closeButtonLabel={t("studyPage.dismiss")}
          onClose={() => dismiss(notice)}
        >
          {say(notice.body)}
          {alertsWithPause.includes(notice.kind) && progress.data?.canPause && (
            <PauseNow studyId={studyId} onPaused={() => dismiss(notice)} />
          )}
        </Alert>
      ))}
      {progress.data && <StudyBody progress={progress.data} />}
    </Stack>
  );
}

/** The alerts that offer a one-click pause: many people giving up, or failing the checks. */
const alertsWithPause: NoticeKind[] = ["returnsHigh", "checksFailing"];

/** The one-click pause an alert offers. */
function PauseNow({ studyId, onPaused }: { studyId: string; onPaused: () => void }) {
  const { t } = useTranslation("results");
  const pause = useCommandStudy(studyId, { onSuccess: onPaused });
  return (
    <Stack gap="xs" mt="sm" align="flex-start">
      <Button color="orange" size="xs" loading={pause.isPending} onClick={() => pause.mutate("pause")} data-testid="pause-now">
        {t("studyPage.pause")}
      </Button>
      {pause.isError && <ErrorNotice title={t("studyPage.pauseFailed")} error={pause.error} />}
    </Stack>
  );
}

function StudyBody({ progress }: { progress: StudyProgress }) {
  const { studyId } = progress;
  // Each action leaves the study as Rust read it then, and the Batches page's list read
  // again. Rust's poller, quick for a while after an action, sends what follows (an
  // approval, carried out by Prolific in the background, completes the study later).
  const command = useCommandStudy(studyId);
  const quotePlaces = useQuoteMorePeople(studyId);
  const addPeople = useAddPeople(studyId);
  const approveAll = useApproveAll(studyId);
  const quoteDraft = useQuoteDraftStudy(studyId);
  const publish = usePublishDraftStudy(studyId);
  return (
    <>
      <ProgressPanel progress={progress} />
      {progress.phase === "draft" ? (
        <Paper withBorder p="md">
          <PublishDraft
            onQuote={() => quoteDraft.mutateAsync()}
            onPublish={(confirmed) => publish.mutateAsync(confirmed)}
          />
        </Paper>
      ) : (
        <StudyActions
          progress={progress}
          onAction={(action) => command.mutateAsync(action)}
          onQuotePlaces={(extra) => quotePlaces.mutateAsync(extra)}
          onAddPlaces={(quote) => addPeople.mutateAsync(quote)}
          onApproveAll={() => approveAll.mutateAsync()}
        />
      )}
      {RESULTS_PHASES.includes(progress.phase) && <StudyResults progress={progress} />}
    </>
  );
}

/**
 * The study's results: the last download at once (offline too), downloaded again when
 * the study fills or completes, or when the researcher asks.
 */
function StudyResults({ progress }: { progress: StudyProgress }) {
  const { t } = useTranslation("results");
  const { studyId } = progress;
  const hasAnswers = progress.answersReceived > 0;
  const [stage, setStage] = useState<ResultsProgress | null>(null);
  const results = useStudyResults(studyId, hasAnswers, setStage);
  const save = useSaveResults(studyId, progress.internalName || progress.title);
  const showInFolder = useShowInFolder();
  const fetchRows = useFetchResultsRows(studyId);
  const refresh = useRefreshResults(studyId, setStage);
  const downloading = refresh.isPending || (results.isPending && hasAnswers);
  const { mutate: refreshNow } = refresh;
  // A study that has just filled or ended has new answers: fetch them once.
  const seenPhase = useRef(progress.phase);
  useEffect(() => {
    const before = seenPhase.current;
    seenPhase.current = progress.phase;
    const ended = ["awaitingReview", "completed", "stopped"].includes(progress.phase);
    if (before !== progress.phase && ended && hasAnswers) refreshNow();
  }, [progress.phase, hasAnswers, refreshNow]);

  const summary = results.data;
  return (
    <Stack gap="md" component="section" aria-label={t("studyPage.results")}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={3}>{t("studyPage.results")}</Title>
          {summary && (
            <Text size="sm" c="dimmed" data-testid="results-downloaded-at">
              {t("studyPage.downloaded", { when: formatDateTime(summary.downloadedAt) ?? t("studyPage.earlier") })}
            </Text>
          )}
        </Stack>
        {hasAnswers && (
          <Button
            variant="default"
            leftSection={<IconRefresh size={18} aria-hidden />}
            loading={refresh.isPending || results.isFetching}
            onClick={() => refresh.mutate()}
            data-testid="refresh-results"
          >
            {t("studyPage.check")}
          </Button>
        )}
      </Group>
      {!hasAnswers && (
        <EmptyState icon={IconInbox} title={t("studyPage.noAnswers.title")} order={4} data-testid="results-empty">
          {t("studyPage.noAnswers.body")}
        </EmptyState>
      )}
      {downloading && <DownloadProgress stage={stage} />}
      {results.isError && <ErrorNotice title={t("studyPage.resultsFailed")} error={results.error} />}
      {refresh.isError && <ErrorNotice title={t("studyPage.refreshFailed")} error={refresh.error} />}
      {summary && (
        <>
          <DownloadsMenu
            onSave={(kind) => save.mutateAsync(kind)}
            onShowInFolder={(path) => showInFolder.mutateAsync(path)}
          />
          {summary.pilotAnswers && <PilotAnswersChoice studyId={studyId} pilot={summary.pilotAnswers} />}
          {summary.secondRound && <SecondRoundAnswersNote round={summary.secondRound} />}
          <ResultsOverview summary={summary} />
          <ConsensusPanel summary={summary} />
          <ScorecardPanel
            studyId={studyId}
            version={resultsVersion(summary)}
            summary={summary}
          />
          <AgreementPanel
            studyId={studyId}
            version={resultsVersion(summary)}
            questions={summary.questions}
          />
          <WhoTookPartPanel
            studyId={studyId}
            version={resultsVersion(summary)}
            questions={summary.questions}
          />
          <MethodsParagraph studyId={studyId} version={resultsVersion(summary)} />
          <ResponsesTable
            // A new download, or the pilot's answers counted in or out: the rows change.
            key={resultsVersion(summary)}
            summary={summary}
            fetchRows={fetchRows}
          />
          <SecondRound studyId={studyId} phase={progress.phase} downloadedAt={summary.downloadedAt} />
        </>
      )}
    </Stack>
  );
}

/** Where a download of the results is: Prolific preparing it, bytes arriving, analysis. */
function DownloadProgress({ stage }: { stage: ResultsProgress | null }) {
  const { t } = useTranslation("results");
  let text = t("studyPage.download.asking");
  let value: number | null = null;
  if (stage?.stage === "exporting") text = t("studyPage.download.exporting");
  if (stage?.stage === "downloading") {
    const what = stage.file === "report" ? t("studyPage.download.report") : t("studyPage.download.answers");
    const total = typeof stage.total === "number" && stage.total > 0 ? stage.total : null;
    text =
      total !== null
        ? t("studyPage.download.progressOf", { what, bytes: formatBytes(stage.bytes), total: formatBytes(total) })
        : t("studyPage.download.progress", { what, bytes: formatBytes(stage.bytes) });
    if (total !== null) value = Math.min(100, (stage.bytes / total) * 100);
  }
  if (stage?.stage === "analysing") text = t("studyPage.download.analysing");
  return (
    <Stack gap={4} maw={520} data-testid="results-progress" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{text}</Text>
      </Group>
      {value !== null && <Progress value={value} aria-label={t("studyPage.download.name")} size="sm" />}
    </Stack>
  );
}
