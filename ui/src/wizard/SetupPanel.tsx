import { Alert, Button, Group, Loader, Stack, Text } from "@mantine/core";
import { useInterval } from "@mantine/hooks";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { useEffect, useState } from "react";

import type { BackendError, ReadyBatch, SetupProgress } from "../backend";
import { type TFunction, useTranslation } from "../i18n";
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
  const { t } = useTranslation(["wizard", "common"]);
  const mode = practising ? "practice" : "prolific";
  const where = t(`common:where.${mode}`);
  const whereCapital = t(`common:whereCapital.${mode}`);
  return (
    <Stack gap="sm" data-testid="setup-panel">
      {pending && (
        <Group gap="sm" aria-live="polite" data-testid="setup-progress">
          <Loader size="sm" aria-hidden />
          <Text size="sm">{stageText(t, progress, where, whereCapital)}</Text>
          <Elapsed />
          <Button size="xs" variant="default" onClick={onCancel} data-testid="cancel-setup">
            {t("setup.stopWaiting")}
          </Button>
        </Group>
      )}
      {!pending && problems > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} data-testid="setup-problems">
          {t("setup.problems", { count: problems })}
        </Alert>
      )}
      {error && <ErrorNotice title={t("setup.couldNotSetUp")} error={error} />}
      {ready && !pending && (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck aria-hidden />}
          title={t("setup.readyTitle")}
          data-testid="setup-ready"
        >
          <span data-testid="setup-totals">
            {t("setup.made", {
              where: whereCapital,
              tasks: ready.totalTasks === null ? t("setup.allTasks") : t("setup.tasks", { count: ready.totalTasks }),
              assignments:
                ready.totalGroups === null
                  ? t("setup.allAssignments")
                  : t("setup.assignments", { count: ready.totalGroups }),
            })}
          </span>{" "}
          {t("setup.changeAgain")}
        </Alert>
      )}
    </Stack>
  );
}

function stageText(
  t: TFunction<["wizard", "common"]>,
  progress: SetupProgress | null,
  where: string,
  whereCapital: string,
): string {
  switch (progress?.stage) {
    case "mixing":
      return t("setup.mixing");
    case "sendingMixed":
      return t("setup.sendingMixed", { count: progress.items, where });
    case "updating":
      return t("setup.updating", { where });
    case "settingUp":
      return t("setup.settingUp", { where: whereCapital });
    case "ready":
      return t("setup.ready");
    default:
      return t("setup.making", { where });
  }
}

/** Seconds since setting up started, so a long wait is visibly alive. */
function Elapsed() {
  const { t } = useTranslation("wizard");
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
      {t("setup.seconds", { count: seconds })}
    </Text>
  );
}
