import { Alert, Button, Group, Loader, Stack, Text } from "@mantine/core";
import { useInterval } from "@mantine/hooks";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { useEffect, useState } from "react";

import type { BackendError, ReadyBatch, SetupProgress } from "../backend";
import { ErrorNotice } from "../shell/ErrorNotice";

/**
 * Setting the batch up (the step's Continue starts it): the stage Prolific is at while it
 * makes the tasks (it gives no percentage, so the time taken is shown instead), what
 * stops it, then the totals.
 */
export function SetupPanel({
  ready,
  progress,
  pending,
  error,
  problems,
  practising,
  onCancel,
}: {
  /** The batch made from the current design, when it is READY. */
  ready: ReadyBatch | null;
  progress: SetupProgress | null;
  pending: boolean;
  error: BackendError | null;
  /** How many problems stop the setup; they are shown where they are. */
  problems: number;
  practising: boolean;
  onCancel: () => void;
}) {
  const where = practising ? "the practice server" : "Prolific";
  return (
    <Stack gap="sm" data-testid="setup-panel">
      {pending && (
        <Group gap="sm" aria-live="polite" data-testid="setup-progress">
          <Loader size="sm" aria-hidden />
          <Text size="sm">{stageText(progress, where)}</Text>
          <Elapsed />
          <Button size="xs" variant="default" onClick={onCancel} data-testid="cancel-setup">
            Stop waiting
          </Button>
        </Group>
      )}
      {!pending && problems > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="setup-problems">
          {problems === 1 ? "One problem needs fixing" : `${problems} problems need fixing`} before the batch can be set
          up. Each is marked where it is, above.
        </Alert>
      )}
      {error && <ErrorNotice title="The batch could not be set up" error={error} />}
      {ready && !pending && (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck aria-hidden />}
          title="The batch is set up"
          data-testid="setup-ready"
        >
          <span data-testid="setup-totals">
            {where.charAt(0).toUpperCase() + where.slice(1)} made {count(ready.totalTasks, "task")} in{" "}
            {count(ready.totalGroups, "assignment")}.
          </span>{" "}
          If you change the task now, Continue sets it up again.
        </Alert>
      )}
    </Stack>
  );
}

function count(value: number | null, noun: string): string {
  if (value === null) return `all the ${noun}s`;
  return `${value.toLocaleString()} ${noun}${value === 1 ? "" : "s"}`;
}

function stageText(progress: SetupProgress | null, where: string): string {
  switch (progress?.stage) {
    case "mixing":
      return "Adding the known answers and checks to every assignment…";
    case "sendingMixed":
      return `Sending your data with the known answers and checks (${progress.items.toLocaleString()} items) to ${where}…`;
    case "updating":
      return `Sending your changes to ${where}…`;
    case "settingUp":
      return `${where.charAt(0).toUpperCase() + where.slice(1)} is making one task per row…`;
    case "ready":
      return "Ready.";
    default:
      return `Making the batch on ${where}…`;
  }
}

/** Seconds since setting up started, so a long wait is visibly alive. */
function Elapsed() {
  const [seconds, setSeconds] = useState(0);
  const interval = useInterval(() => setSeconds((value) => value + 1), 1000);
  useEffect(() => {
    interval.start();
    return interval.stop;
    // `interval` is stable for the component's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <Text size="sm" c="dimmed">
      {seconds} s
    </Text>
  );
}
