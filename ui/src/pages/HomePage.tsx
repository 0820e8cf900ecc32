import { Anchor, Button, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { useLocalStorage } from "@mantine/hooks";
import { IconSquarePlus } from "@tabler/icons-react";
import { useEffect, useId, useRef } from "react";
import { flushSync } from "react-dom";
import { Link } from "react-router";

import type { StudyProgress } from "../backend";
import { useBatchesOverview, useDataDraft, useStudyContext, useTaskDraft } from "../queries";
import { PhaseBadge } from "../results";

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
  const titleId = useId();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId} data-testid="first-run-hints">
      <Title order={3} size="h4" id={titleId}>
        Your first batch, in three steps
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="sm">
        New batch takes you through them. Nothing is paid until you confirm the price and publish.
      </Text>
      <List type="ordered" spacing="xs">
        <List.Item>
          <Text span fw={600}>
            Your data.
          </Text>{" "}
          Choose the spreadsheet with the items to annotate. Batchdesk checks it and helps you fix problems.
        </List.Item>
        <List.Item>
          <Text span fw={600}>
            Your task.
          </Text>{" "}
          Write the instructions and the questions people answer for each row, and see what they will see.
        </List.Item>
        <List.Item>
          <Text span fw={600}>
            Who and how much.
          </Text>{" "}
          Choose who takes part and how many people answer each row, check the exact price, then publish.
        </List.Item>
      </List>
      <Group mt="lg">
        <Button component={Link} to="/new" leftSection={<IconSquarePlus size={18} aria-hidden />}>
          Start your first batch
        </Button>
        <Button variant="subtle" onClick={onDismiss} data-testid="dismiss-hints">
          Hide these tips
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
        Your batches now
      </Title>
      <Stack gap="sm">
        {preparing && (
          <Group justify="space-between" wrap="nowrap" data-testid="running-now-draft">
            <Text size="sm">
              Being prepared in New batch:{" "}
              <Text span fw={600}>
                {preparing.fileName}
              </Text>
            </Text>
            <Button component={Link} to="/new" variant="light" size="xs">
              Continue
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
                {study.placesTaken.toLocaleString()} of {study.places.toLocaleString()} places filled
              </Text>
            </Stack>
            <Group gap="sm" wrap="nowrap">
              <PhaseBadge phase={study.phase} />
              <Button
                component={Link}
                to={`/batches/${study.studyId}`}
                variant="light"
                size="xs"
                aria-label={`Open ${study.title}`}
              >
                Open
              </Button>
            </Group>
          </Group>
        ))}
        {studies.length > SHOWN && (
          <Anchor component={Link} to="/batches" size="sm">
            See all {studies.length.toLocaleString()} on the Batches page
          </Anchor>
        )}
      </Stack>
    </Card>
  );
}

export function HomePage() {
  const [firstRun, dismiss] = useFirstRun();
  const start = useRef<HTMLAnchorElement>(null);
  return (
    <Stack gap="lg" maw={760}>
      <Stack gap="xs">
        <Title order={2}>Run an annotation job on Prolific</Title>
        <Text c="dimmed">
          Bring a spreadsheet, say what people should do with each row, choose who and how many,
          see the exact price, then publish and watch the answers arrive.
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
            How a batch goes
          </Title>
          <List type="ordered" spacing={6}>
            <List.Item>Your data: a spreadsheet, checked and fixed before anything is sent.</List.Item>
            <List.Item>Your task: the instructions and the questions, with a preview.</List.Item>
            <List.Item>
              Who, how many, how much: the audience and the exact cost, a small pilot first, then publish once you
              confirm the total.
            </List.Item>
          </List>
          <Text size="sm" c="dimmed" mt="sm">
            Then the Batches page follows each study: answers as they arrive, agreement between people, clean
            downloads.
          </Text>
          <Group mt="lg">
            <Button
              ref={start}
              component={Link}
              to="/new"
              leftSection={<IconSquarePlus size={18} aria-hidden />}
            >
              Start a new batch
            </Button>
          </Group>
        </Card>
      )}
    </Stack>
  );
}
