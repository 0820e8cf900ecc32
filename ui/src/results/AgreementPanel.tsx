import { Button, Group, Loader, MultiSelect, Paper, Select, Stack, Text, Title } from "@mantine/core";
import { useId, useState } from "react";

import type { QuestionPeopleAgreement, ResultsQuestion } from "../backend";
import { useTranslation } from "../i18n";
import { useStudyAgreement, useWorkingOutAlphaIntervals, useWorkOutAlphaIntervals } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { AlphaIntervals, AlphaIntervalsReading } from "./AlphaIntervals";
import { ConfusionMatrix } from "./ConfusionMatrix";
import { labelsOf } from "./labels";
import { PeopleMatrix } from "./PeopleMatrix";

/** How many people the matrix shows unless the researcher picks (Rust's `MATRIX_PEOPLE`). */
const MOST_SHARED = 30;
/** The most the researcher may pick (Rust's `MATRIX_PEOPLE_PICKED`). */
const MOST_PICKED = 100;

export type AgreementPanelProps = {
  studyId: string;
  /** The results these belong to (a new download, the pilots counted in or out). */
  version: string;
  questions: ResultsQuestion[];
};

/**
 * Agreement between people, as plots: alpha per question with its interval, who agreed
 * with whom (the people who shared the most items, or those the researcher picks), and
 * which answers get confused with which. Read from the last download.
 */
export function AgreementPanel({ studyId, version, questions }: AgreementPanelProps) {
  const { t } = useTranslation("results");
  const headingId = useId();
  const [picked, setPicked] = useState<string[]>([]);
  const agreement = useStudyAgreement(studyId, version, picked.length > 0 ? picked : null);
  const [questionId, setQuestionId] = useState<string | null>(null);
  const report = agreement.data;
  const chosen = report?.questions.find((question) => question.questionId === questionId) ?? report?.questions[0];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid="people-agreement">
      <Stack gap="md">
        <div>
          <Title order={3} id={headingId}>
            {t("agreement.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("agreement.intro")}
          </Text>
        </div>
        {agreement.isPending && (
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text size="sm">{t("agreement.comparing")}</Text>
          </Group>
        )}
        {agreement.isError && <ErrorNotice title={t("agreement.failed")} error={agreement.error} />}
        {report && report.questions.length === 0 && (
          <Text size="sm" data-testid="people-agreement-none">
            {t("agreement.none")}
          </Text>
        )}
        {report && report.questions.length > 0 && chosen && (
          <>
            <Stack gap="xs">
              <Title order={4}>{t("agreement.howSure")}</Title>
              <AlphaIntervals
                rows={report.questions.map((question) => ({
                  questionId: question.questionId,
                  title: question.title,
                  alpha: question.alpha,
                  interval: question.interval,
                  itemsRated: question.itemsRated,
                }))}
              />
              {!report.intervalsWorkedOut && <WorkOutIntervals studyId={studyId} />}
              <AlphaIntervalsReading />
            </Stack>
            {report.questions.length > 1 && (
              <Select
                label={t("agreement.question")}
                maw={480}
                allowDeselect={false}
                data={report.questions.map((question) => ({ value: question.questionId, label: question.title }))}
                value={chosen.questionId}
                onChange={setQuestionId}
                data-testid="agreement-question"
              />
            )}
            <WhoAgreed
              question={chosen}
              picked={picked}
              onPick={setPicked}
              updating={agreement.isFetching && agreement.isPlaceholderData}
            />
            <Stack gap="xs">
              <Title order={4}>{t("agreement.confused")}</Title>
              <ConfusionMatrix
                answers={chosen.answers}
                coincidences={chosen.coincidences}
                labels={labelsOf(questions.find((question) => question.id === chosen.questionId))}
                title={chosen.title}
              />
            </Stack>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The intervals, worked out on the researcher's click: 1,000 resamples take seconds on a
 * large study, so the panel opens without them. The work carries on if the researcher
 * leaves the page, and the intervals are kept for next time.
 */
function WorkOutIntervals({ studyId }: { studyId: string }) {
  const { t } = useTranslation("results");
  const workOut = useWorkOutAlphaIntervals(studyId);
  const working = useWorkingOutAlphaIntervals(studyId);
  return (
    <Stack gap="xs" align="flex-start" data-testid="interval-on-demand">
      <div role="status" aria-live="polite">
        {working ? (
          <Group gap="xs" wrap="nowrap">
            <Loader size="xs" aria-hidden />
            <Text size="sm" data-testid="interval-working">
              {t("agreement.intervals.working", { resamples: 1000 })}
            </Text>
          </Group>
        ) : (
          <Text size="sm">
            {t("agreement.intervals.explain", { resamples: 1000 })}
          </Text>
        )}
      </div>
      {!working && (
        <Button variant="light" size="sm" onClick={() => workOut.mutate()} data-testid="work-out-interval">
          {t("agreement.intervals.button")}
        </Button>
      )}
      {workOut.isError && <ErrorNotice title={t("agreement.intervals.failed")} error={workOut.error} />}
    </Stack>
  );
}

/** The participant × participant matrix of one question, with the choice of whom it shows. */
function WhoAgreed({
  question,
  picked,
  onPick,
  updating,
}: {
  question: QuestionPeopleAgreement;
  picked: string[];
  onPick: (ids: string[]) => void;
  updating: boolean;
}) {
  const { t } = useTranslation("results");
  const everyone = question.people.length;
  const byDefault = picked.length === 0;
  return (
    <Stack gap="xs">
      <Title order={4}>{t("agreement.who.title")}</Title>
      <Text size="sm" data-testid="people-matrix-who">
        {byDefault
          ? everyone > MOST_SHARED
            ? t("agreement.who.mostShared", { count: MOST_SHARED, everyone })
            : t("agreement.who.everyone", {
                people: t("count.people", { count: everyone }),
                pairs: t("agreement.who.pairs", { count: question.pairCount }),
              })
          : t("agreement.who.chosen", { people: t("count.people", { count: question.shown.length }) })}
      </Text>
      {everyone > 2 && (
        <Group align="flex-end" gap="sm">
          <MultiSelect
            label={t("agreement.who.pick.label")}
            placeholder={picked.length === 0 ? t("agreement.who.pick.placeholder") : undefined}
            searchable
            clearable
            limit={50}
            maxValues={MOST_PICKED}
            data={question.people.map((person) => ({
              value: person.participantId,
              label: t("agreement.who.pick.person", {
                id: person.participantId,
                items: t("count.items", { count: person.sharedItems }),
                people: t("count.people", { count: person.partners }),
              }),
            }))}
            value={picked}
            onChange={onPick}
            miw={320}
            maw={640}
            style={{ flex: 1 }}
            data-testid="people-pick"
          />
          {!byDefault && (
            <Button variant="default" size="sm" onClick={() => onPick([])} data-testid="people-pick-reset">
              {t("agreement.who.pick.reset", { count: MOST_SHARED })}
            </Button>
          )}
          {updating && <Loader size="xs" aria-label={t("agreement.who.updating")} />}
        </Group>
      )}
      <PeopleMatrix shown={question.shown} pairs={question.pairs} title={question.title} />
    </Stack>
  );
}
