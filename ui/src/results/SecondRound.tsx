import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { IconArrowsSplit, IconRepeat } from "@tabler/icons-react";
import { useNavigate } from "react-router";

import type { SecondRoundAnswers, StudyPhase } from "../backend";
import { useLaunchTopUp, usePlanTopUp, useRunAgainWithNewData, useTopUpView } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { count } from "../study/settings";
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
  const navigate = useNavigate();
  const view = useTopUpView(studyId, downloadedAt);
  const plan = usePlanTopUp(studyId);
  const launch = useLaunchTopUp(studyId);
  if (!FINISHED.includes(phase) && !view.data) return null;
  return (
    <Stack gap="md">
      {view.isError && <ErrorNotice title="The second round could not be read" error={view.error} />}
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
          Run again with new data
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        A new batch with this study&apos;s task and settings; you choose a new spreadsheet. This study stays as it is.
      </Text>
      {start.isError && <ErrorNotice title="A new batch could not be started" error={start.error} />}
    </Stack>
  );
}

/** Says that second-round answers are counted in these results. */
export function SecondRoundAnswersNote({ round }: { round: SecondRoundAnswers }) {
  return (
    <Alert variant="light" color="indigo" icon={<IconArrowsSplit aria-hidden />} data-testid="second-round-answers">
      <Text size="sm">
        Second round: {count(round.answers, "answer", "answers")} from {count(round.people, "person", "people")} on{" "}
        {count(round.items, "item", "items")} are counted in these results (the table, the agreement and the tidy
        CSV).
        {round.downloaded < round.rounds && " The second round's latest answers are downloaded with the next check."}
        {round.leftOut > 0 && ` ${count(round.leftOut, "answer has", "answers have")} no place here and are left out.`}
      </Text>
    </Alert>
  );
}
