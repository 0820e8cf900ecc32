import { Alert, Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { IconCircleCheck, IconFilePlus, IconRepeat } from "@tabler/icons-react";
import { useNavigate } from "react-router";

import type { LaunchOutcome } from "../backend";
import { Trans, useTranslation } from "../i18n";
import { useConnection, useStartNewBatch } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

/**
 * The wizard once its batch is published: where to follow it, and the two ways to a new
 * batch. Neither touches the published one: its study keeps running.
 */
export function PublishedBatch({
  launched,
  taskTitle,
  onStarted,
}: {
  launched: LaunchOutcome;
  taskTitle: string;
  /** A new batch was started: the wizard opens on its first step. */
  onStarted: () => void;
}) {
  const { t } = useTranslation(["wizard", "common"]);
  const navigate = useNavigate();
  const where = t(`common:where.${useConnection().data?.mode === "practice" ? "practice" : "prolific"}`);
  const start = useStartNewBatch(onStarted);
  const starting = start.isPending ? start.variables : null;
  return (
    <Stack gap="md" data-testid="batch-published">
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title={t("published.title")}>
        <Text size="sm">
          <Trans
            t={t}
            i18nKey={taskTitle ? "published.namedIs" : "published.unnamedIs"}
            values={{ title: taskTitle, where }}
            components={{
              page: (
                <Anchor
                  component="button"
                  onClick={() => void navigate(`/batches/${encodeURIComponent(launched.studyId)}`)}
                  data-testid="open-published-study"
                />
              ),
              batches: <Anchor component="button" onClick={() => void navigate("/batches")} />,
            }}
          />
        </Text>
      </Alert>
      <Group>
        <Button
          leftSection={<IconFilePlus size={18} aria-hidden />}
          onClick={() => start.mutate("empty")}
          loading={starting === "empty"}
          disabled={start.isPending}
          data-testid="start-new-batch"
        >
          {t("published.startNew")}
        </Button>
        <Button
          variant="default"
          leftSection={<IconRepeat size={18} aria-hidden />}
          onClick={() => start.mutate("sameTask")}
          loading={starting === "sameTask"}
          disabled={start.isPending}
          data-testid="run-task-again"
        >
          {t("published.runAgain")}
        </Button>
      </Group>
      {start.isError && <ErrorNotice title={t("published.couldNotStart")} error={start.error} />}
    </Stack>
  );
}
