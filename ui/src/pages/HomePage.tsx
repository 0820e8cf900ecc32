import { Badge, Button, Card, Group, List, Loader, Stack, Text, Title } from "@mantine/core";
import { useLocalStorage } from "@mantine/hooks";
import { IconSquarePlus } from "@tabler/icons-react";
import { useEffect, useId, useRef } from "react";
import { flushSync } from "react-dom";
import { Link } from "react-router";

import { useAppInfo, useBatchesOverview, useDataDraft, useTaskDraft } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

/** Remembers, on this computer, that the first-run hints are not wanted any more. */
export const HINTS_DISMISSED_KEY = "batchdesk-hints-dismissed";

const flavourLabel = { dev: "development build", test: "test build", release: "release" } as const;

function AboutThisCopy() {
  const info = useAppInfo();
  if (info.isPending) {
    return <Loader size="sm" aria-label="Loading details about Batchdesk" />;
  }
  if (info.isError) {
    return <ErrorNotice title="Batchdesk could not describe itself" error={info.error} />;
  }
  const { version, flavour, dataDir, storeSchemaVersion } = info.data;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text fw={600} data-testid="app-version">
          Batchdesk {version}
        </Text>
        {flavour !== "release" && (
          <Badge variant="light" color="orange" data-testid="app-flavour">
            {flavourLabel[flavour]}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        Your drafts and downloads are kept in{" "}
        <Text span ff="monospace" size="sm" data-testid="app-data-dir">
          {dataDir}
        </Text>
        .
      </Text>
      <Text size="xs" c="dimmed">
        Local database schema {storeSchemaVersion}
      </Text>
    </Stack>
  );
}

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
      {firstRun === "not-first" && (
        <Card withBorder padding="lg">
          <Title order={3} size="h5" mb="sm">
            How a batch goes
          </Title>
          <List type="ordered" spacing={6}>
            <List.Item>Your data: a CSV file, checked and fixed before anything is sent.</List.Item>
            <List.Item>Your task: the instructions and the questions, with a preview.</List.Item>
            <List.Item>Who, how many, how much: the audience and the exact cost.</List.Item>
            <List.Item>Publish, after you confirm the total once more.</List.Item>
            <List.Item>Results: answers, agreement between people, and clean downloads.</List.Item>
          </List>
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
      <Card withBorder padding="lg" component="section" aria-label="About this copy of Batchdesk">
        <AboutThisCopy />
      </Card>
    </Stack>
  );
}
