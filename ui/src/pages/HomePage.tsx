import { Anchor, Button, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { useLocalStorage } from "@mantine/hooks";
import { IconSquarePlus } from "@tabler/icons-react";
import { useEffect, useId, useRef } from "react";
import { flushSync } from "react-dom";
import { Link } from "react-router";

import type { StudyProgress } from "../backend";
import { Trans, useTranslation } from "../i18n";
import { useBatchesOverview, useDataDraft, useStudyContext, useTaskDraft } from "../queries";
// Straight from its module: the results barrel belongs to the screens loaded on demand.
import { PhaseBadge } from "../results/ProgressPanel";

/** Remembers, on this computer, that the first-run hints are not wanted any more. */
export const HINTS_DISMISSED_KEY = "batchdesk-hints-dismissed";

type FirstRun = "first" | "not-first" | "deciding";

/**
 * Whether this researcher has yet to start a first batch: no study, nothing set up in
 * New batch. Once they have one, or once they hide the hints, Home stops asking.
 */
function useFirstRun(): [FirstRun, () => void] {
  const [dismissed, setDismissed] = useLocalStorage<boolean>({
    key: HINTS_DISMISSED_KEY,
    defaultValue: false,
    getInitialValueInEffect: false,
  });
  const asking = !dismissed;
  const data = useDataDraft(asking);
  const task = useTaskDraft(asking);
  const overview = useBatchesOverview(asking);
  const started =
    Boolean(data.data?.workingFile) ||
    Boolean(task.data?.design || task.data?.batch) ||
    (overview.data?.studies.length ?? 0) > 0 ||
    Boolean(overview.data?.otherBatches.some((batch) => batch.inNewBatch));
  useEffect(() => {
    if (started) setDismissed(true);
  }, [started, setDismissed]);

  let state: FirstRun = "not-first";
  if (asking && !started) {
    const queries = [data, task, overview];
    // A question left unanswered (an error) does not make anyone a beginner.
    if (queries.some((query) => query.isPending)) state = "deciding";
    else if (queries.every((query) => query.isSuccess)) state = "first";
  }
  return [state, () => setDismissed(true)];
}

/** Three steps for a researcher who has never started a batch, until they hide them. */
function FirstRunHints({ onDismiss }: { onDismiss: () => void }) {
  const { t } = useTranslation("pages");
  const titleId = useId();
  const strong = { strong: <Text span fw={600} /> };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId} data-testid="first-run-hints">
      <Title order={3} size="h4" id={titleId}>
        {t("home.hintsTitle")}
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="sm">
        {t("home.hintsIntro")}
      </Text>
      <List type="ordered" spacing="xs">
        <List.Item>
          <Trans t={t} i18nKey="home.hintData" components={strong} />
        </List.Item>
        <List.Item>
          <Trans t={t} i18nKey="home.hintTask" components={strong} />
        </List.Item>
        <List.Item>
          <Trans t={t} i18nKey="home.hintStudy" components={strong} />
        </List.Item>
      </List>
      <Group mt="lg">
        <Button component={Link} to="/new" leftSection={<IconSquarePlus size={18} aria-hidden />}>
          {t("home.startFirst")}
        </Button>
        <Button variant="subtle" onClick={onDismiss} data-testid="dismiss-hints">
          {t("home.hideTips")}
        </Button>
      </Group>
    </Card>
  );
}

/** Phases where a study is under way or waits for the researcher. */
const UNDER_WAY = new Set<StudyProgress["phase"]>(["scheduled", "collecting", "paused", "awaitingReview"]);
const SHOWN = 3;

/**
 * What is going on now: the batch being prepared in New batch, and the studies running or
 * waiting for a review, each one click away. Nothing when there is neither.
 */
function RunningNow() {
  const { t } = useTranslation("pages");
  const overview = useBatchesOverview();
  const draft = useDataDraft();
  const task = useTaskDraft();
  // A batch published from New batch is under way, not being prepared (New batch then
  // offers a new one): it shows among the studies.
  const batchReady = Boolean(task.data?.batch?.ready);
  const study = useStudyContext(batchReady);
  const published = batchReady && (study.isPending || Boolean(study.data?.launched?.published));
  const preparing = published ? null : (draft.data?.workingFile ?? null);
  const studies = (overview.data?.studies ?? [])
    .filter((study) => UNDER_WAY.has(study.phase))
    .sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  if (!preparing && studies.length === 0) return null;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="running-now" data-testid="running-now">
      <Title order={3} size="h5" mb="sm" id="running-now">
        {t("home.runningNow")}
      </Title>
      <Stack gap="sm">
        {preparing && (
          <Group justify="space-between" wrap="nowrap" data-testid="running-now-draft">
            <Text size="sm">
              <Trans
                t={t}
                i18nKey="home.beingPrepared"
                values={{ fileName: preparing.fileName }}
                components={{ strong: <Text span fw={600} /> }}
              />
            </Text>
            <Button component={Link} to="/new" variant="light" size="xs">
              {t("home.continue")}
            </Button>
          </Group>
        )}
        {studies.slice(0, SHOWN).map((study) => (
          <Group key={study.studyId} justify="space-between" wrap="nowrap" data-testid="running-now-study">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} truncate="end">
                {study.title}
              </Text>
              <Text size="xs" c="dimmed">
                {t("home.placesFilled", { taken: study.placesTaken, places: study.places })}
              </Text>
            </Stack>
            <Group gap="sm" wrap="nowrap">
              <PhaseBadge phase={study.phase} />
              <Button
                component={Link}
                to={`/batches/${study.studyId}`}
                variant="light"
                size="xs"
                aria-label={t("home.openStudy", { title: study.title })}
              >
                {t("home.open")}
              </Button>
            </Group>
          </Group>
        ))}
        {studies.length > SHOWN && (
          <Anchor component={Link} to="/batches" size="sm">
            {t("home.seeAll", { count: studies.length })}
          </Anchor>
        )}
      </Stack>
    </Card>
  );
}

export function HomePage() {
  const { t } = useTranslation("pages");
  const [firstRun, dismiss] = useFirstRun();
  const start = useRef<HTMLAnchorElement>(null);
  return (
    <Stack gap="lg" maw={760}>
      <Stack gap="xs">
        <Title order={2}>{t("home.title")}</Title>
        <Text c="dimmed">
          {t("home.intro")}
        </Text>
      </Stack>
      {firstRun === "first" && (
        <FirstRunHints
          onDismiss={() => {
            // The tips give way to the usual card: focus goes to its button, not lost.
            flushSync(dismiss);
            start.current?.focus();
          }}
        />
      )}
      <RunningNow />
      {firstRun === "not-first" && (
        <Card withBorder padding="lg">
          <Title order={3} size="h5" mb="sm">
            {t("home.howTitle")}
          </Title>
          <List type="ordered" spacing={6}>
            <List.Item>{t("home.howData")}</List.Item>
            <List.Item>{t("home.howTask")}</List.Item>
            <List.Item>{t("home.howStudy")}</List.Item>
          </List>
          <Text size="sm" c="dimmed" mt="sm">
            {t("home.howAfter")}
          </Text>
          <Group mt="lg">
            <Button
              ref={start}
              component={Link}
              to="/new"
              leftSection={<IconSquarePlus size={18} aria-hidden />}
            >
              {t("home.startNew")}
            </Button>
          </Group>
        </Card>
      )}
    </Stack>
  );
}
