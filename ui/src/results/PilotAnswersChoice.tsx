import { Alert, Stack, Switch, Text } from "@mantine/core";
import { IconFlask } from "@tabler/icons-react";

import type { PilotAnswers } from "../backend";
import { useCountPilotAnswers } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

/**
 * A study that had a pilot: the pilot's answers are kept apart (on the pilot's own page)
 * until the researcher counts them in here. Counted in, the table, the agreement and the
 * tidy CSV include them; Prolific's own files stay as Prolific sent them.
 */
export function PilotAnswersChoice({ studyId, pilot }: { studyId: string; pilot: PilotAnswers }) {
  const count = useCountPilotAnswers(studyId);
  const pilots = pilot.pilots === 1 ? "The pilot" : `The ${pilot.pilots.toLocaleString()} pilots`;
  const notHere = pilot.pilots - pilot.downloaded;
  return (
    <Alert variant="light" color="grape" icon={<IconFlask aria-hidden />} data-testid="pilot-answers">
      <Stack gap="xs">
        <Switch
          checked={pilot.merged}
          disabled={count.isPending}
          onChange={(event) => count.mutate(event.currentTarget.checked)}
          label="Count the pilot's answers in these results"
          data-testid="pilot-answers-switch"
        />
        <Text size="sm" data-testid="pilot-answers-summary">
          {pilot.answers > 0
            ? `${pilots} gave ${plural(pilot.answers, "answer")} from ${plural(pilot.people, "person", "people")} on ${plural(pilot.items, "row")} of this study's data. `
            : `${pilots} ran on this study's data. `}
          {pilot.merged
            ? "They are counted in the table, the agreement and the tidy CSV below."
            : "They are kept apart, on the pilot's own page, until you count them in."}{" "}
          Prolific's own files (its report and export) stay as Prolific sent them.
        </Text>
        {notHere > 0 && (
          <Text size="sm" c="dimmed">
            {notHere === 1 ? "One pilot's answers are" : `${notHere.toLocaleString()} pilots' answers are`} not on this
            computer yet: they are downloaded when you count them in.
          </Text>
        )}
        {pilot.leftOut > 0 && (
          <Text size="sm" data-testid="pilot-answers-left-out">
            {plural(pilot.leftOut, "pilot answer")} {pilot.leftOut === 1 ? "has" : "have"} no place here (a question
            worded differently since, or a row this study does not have) and {pilot.leftOut === 1 ? "is" : "are"}{" "}
            left out.
          </Text>
        )}
        {count.isError && <ErrorNotice title="The pilot's answers could not be counted in" error={count.error} />}
      </Stack>
    </Alert>
  );
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
