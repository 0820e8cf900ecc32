import { Alert, Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { IconCircleCheck, IconFilePlus, IconRepeat } from "@tabler/icons-react";
import { useNavigate } from "react-router";

import type { LaunchOutcome } from "../backend";
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
  const navigate = useNavigate();
  const where = useConnection().data?.mode === "practice" ? "the practice server" : "Prolific";
  const start = useStartNewBatch(onStarted);
  const starting = start.isPending ? start.variables : null;
  return (
    <Stack gap="md" data-testid="batch-published">
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title="This batch is published">
        <Text size="sm">
          {taskTitle ? `“${taskTitle}” is` : "It is"} published on {where}. Follow it on{" "}
          <Anchor
            component="button"
            onClick={() => void navigate(`/batches/${encodeURIComponent(launched.studyId)}`)}
            data-testid="open-published-study"
          >
            its page
          </Anchor>{" "}
          or on the{" "}
          <Anchor component="button" onClick={() => void navigate("/batches")}>
            Batches page
          </Anchor>
          . Starting a new batch leaves it running as it is.
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
          Start a new batch
        </Button>
        <Button
          variant="default"
          leftSection={<IconRepeat size={18} aria-hidden />}
          onClick={() => start.mutate("sameTask")}
          loading={starting === "sameTask"}
          disabled={start.isPending}
          data-testid="run-task-again"
        >
          Run this task again with new data
        </Button>
      </Group>
      {start.isError && <ErrorNotice title="A new batch could not be started" error={start.error} />}
    </Stack>
  );
}
