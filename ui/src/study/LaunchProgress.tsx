import { Group, Loader, Text } from "@mantine/core";
import { IconCircleCheck } from "@tabler/icons-react";

import { useTranslation } from "../i18n";

export type LaunchStage = "creating" | "publishing" | "done";

export type LaunchProgressProps = { stage: LaunchStage | null; studyId: string | null };

/**
 * What the launch is doing now, in words. The live region is always in the page, so the
 * first stage is announced too (a region added with its text often is not).
 */
export function LaunchProgress({ stage, studyId }: LaunchProgressProps) {
  const { t } = useTranslation("study");
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
              {t(`launch.${stage}`)}
            </Text>
            {stage !== "done" && (
              <Text size="sm" c="dimmed">
                {t("launch.resumes")}
              </Text>
            )}
            {studyId && (
              <Text size="xs" c="dimmed">
                {t("launch.studyId", { studyId })}
              </Text>
            )}
          </div>
        </Group>
      )}
    </div>
  );
}
