import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { IconArrowsSplit, IconRepeat } from "@tabler/icons-react";
import { useNavigate } from "react-router";

import type { SecondRoundAnswers, StudyPhase } from "../backend";
import { useTranslation } from "../i18n";
import { useLaunchTopUp, usePlanTopUp, useRunAgainWithNewData, useTopUpView } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { TopUpPanel } from "./TopUpPanel";

/** Phases in which a study's answers are in: a second round or a new run makes sense. */
const FINISHED: StudyPhase[] = ["awaitingReview", "completed", "stopped"];

/**
 * What a finished study offers next: a second round for its uncertain items, and a new
 * batch with its task and settings on new data. Shown under its results.
 */
export function SecondRound({
  studyId,
  phase,
  downloadedAt,
}: {
  studyId: string;
  phase: StudyPhase;
  /** The results shown: a new download may change the agreement the round reports. */
  downloadedAt: string;
}) {
  const { t } = useTranslation("results");
  const navigate = useNavigate();
  const view = useTopUpView(studyId, downloadedAt);
  const plan = usePlanTopUp(studyId);
  const launch = useLaunchTopUp(studyId);
  if (!FINISHED.includes(phase) && !view.data) return null;
  return (
    <Stack gap="md">
      {view.isError && <ErrorNotice title={t("secondRound.readFailed")} error={view.error} />}
      {view.isSuccess && (
        <TopUpPanel
          view={view.data}
          onPlan={(request) => plan.mutateAsync(request)}
          onLaunch={(plan, onProgress) => launch.mutateAsync({ plan, onProgress })}
          onOpenStudy={(roundId) => void navigate(`/batches/${encodeURIComponent(roundId)}`)}
        />
      )}
      {FINISHED.includes(phase) && <RunAgain studyId={studyId} />}
    </Stack>
  );
}

/** "Run again with new data": the wizard opens with this study's task and settings. */
function RunAgain({ studyId }: { studyId: string }) {
  const { t } = useTranslation("results");
  const navigate = useNavigate();
  const start = useRunAgainWithNewData(studyId, () => void navigate("/new"));
  return (
    <Stack gap="xs" align="flex-start">
      <Group>
        <Button
          variant="default"
          leftSection={<IconRepeat size={18} aria-hidden />}
          loading={start.isPending}
          onClick={() => start.mutate()}
          data-testid="run-again-with-new-data"
        >
          {t("secondRound.runAgain.button")}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t("secondRound.runAgain.note")}
      </Text>
      {start.isError && <ErrorNotice title={t("secondRound.runAgain.failed")} error={start.error} />}
    </Stack>
  );
}

/** Says that second-round answers are counted in these results. */
export function SecondRoundAnswersNote({ round }: { round: SecondRoundAnswers }) {
  const { t } = useTranslation("results");
  return (
    <Alert variant="light" color="indigo" icon={<IconArrowsSplit aria-hidden />} data-testid="second-round-answers">
      <Text size="sm">
        {t("secondRound.answers.counted", {
          answers: t("count.answers", { count: round.answers }),
          people: t("count.people", { count: round.people }),
          items: t("count.items", { count: round.items }),
        })}
        {round.downloaded < round.rounds && ` ${t("secondRound.answers.latest")}`}
        {round.leftOut > 0 && ` ${t("secondRound.answers.leftOut", { count: round.leftOut })}`}
      </Text>
    </Alert>
  );
}
