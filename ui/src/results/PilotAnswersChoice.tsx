import { Alert, Stack, Switch, Text } from "@mantine/core";
import { IconFlask } from "@tabler/icons-react";

import type { PilotAnswers } from "../backend";
import { useTranslation } from "../i18n";
import { useCountPilotAnswers } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";

/**
 * A study that had a pilot: the pilot's answers are kept apart (on the pilot's own page)
 * until the researcher counts them in here. Counted in, the table, the agreement and the
 * tidy CSV include them; Prolific's own files stay as Prolific sent them.
 */
export function PilotAnswersChoice({ studyId, pilot }: { studyId: string; pilot: PilotAnswers }) {
  const { t } = useTranslation("results");
  const count = useCountPilotAnswers(studyId);
  const pilots = t("pilotAnswers.pilots", { count: pilot.pilots });
  const notHere = pilot.pilots - pilot.downloaded;
  return (
    <Alert variant="light" color="grape" icon={<IconFlask aria-hidden />} data-testid="pilot-answers">
      <Stack gap="xs">
        <Switch
          checked={pilot.merged}
          disabled={count.isPending}
          onChange={(event) => count.mutate(event.currentTarget.checked)}
          label={t("pilotAnswers.switch")}
          data-testid="pilot-answers-switch"
        />
        <Text size="sm" data-testid="pilot-answers-summary">
          {pilot.answers > 0
            ? t("pilotAnswers.gave", {
                pilots,
                answers: t("count.answers", { count: pilot.answers }),
                people: t("count.people", { count: pilot.people }),
                rows: t("count.rows", { count: pilot.items }),
              })
            : t("pilotAnswers.ran", { pilots })}{" "}
          {pilot.merged ? t("pilotAnswers.counted") : t("pilotAnswers.apart")} {t("pilotAnswers.prolificFiles")}
        </Text>
        {notHere > 0 && (
          <Text size="sm" c="dimmed">
            {t("pilotAnswers.notHere", { count: notHere })}
          </Text>
        )}
        {pilot.leftOut > 0 && (
          <Text size="sm" data-testid="pilot-answers-left-out">
            {t("pilotAnswers.leftOut", { count: pilot.leftOut })}
          </Text>
        )}
        {count.isError && <ErrorNotice title={t("pilotAnswers.failed")} error={count.error} />}
      </Stack>
    </Alert>
  );
}
