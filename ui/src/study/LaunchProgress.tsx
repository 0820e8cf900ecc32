import { Group, Loader, Text } from "@mantine/core";
import { IconCircleCheck } from "@tabler/icons-react";

export type LaunchStage = "creating" | "publishing" | "done";

export type LaunchProgressProps = { stage: LaunchStage | null; studyId: string | null };

const words: Record<LaunchStage, string> = {
  creating: "Creating the study on Prolific…",
  publishing: "Publishing…",
  done: "Published",
};

/**
 * What the launch is doing now, in words. The live region is always in the page, so the
 * first stage is announced too (a region added with its text often is not).
 */
export function LaunchProgress({ stage, studyId }: LaunchProgressProps) {
  return (
    <div role="status" aria-live="polite" data-testid="launch-progress">
      {stage && (
        <Group gap="sm" wrap="nowrap">
          {stage === "done" ? (
            <IconCircleCheck size={22} color="var(--mantine-color-teal-7)" aria-hidden />
          ) : (
            <Loader size="sm" aria-hidden />
          )}
          <div>
            <Text fw={600} data-testid="launch-stage">
              {words[stage]}
            </Text>
            {stage !== "done" && (
              <Text size="sm" c="dimmed">
                If Batchdesk is closed now, it carries on from here when it opens again, and never makes a second study.
              </Text>
            )}
            {studyId && (
              <Text size="xs" c="dimmed">
                Prolific study ID: {studyId}
              </Text>
            )}
          </div>
        </Group>
      )}
    </div>
  );
}
