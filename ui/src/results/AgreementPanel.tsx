import { Button, Group, Loader, MultiSelect, Paper, Select, Stack, Text, Title } from "@mantine/core";
import { useId, useState } from "react";

import type { QuestionPeopleAgreement, ResultsQuestion } from "../backend";
import { useStudyAgreement, useWorkingOutAlphaIntervals, useWorkOutAlphaIntervals } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { AlphaIntervals, AlphaIntervalsReading } from "./AlphaIntervals";
import { ConfusionMatrix } from "./ConfusionMatrix";
import { count, num } from "./format";
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
            Agreement between people
          </Title>
          <Text size="sm" c="dimmed">
            Who agreed with whom, which answers get confused, and how sure the agreement figures are.
          </Text>
        </div>
        {agreement.isPending && (
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text size="sm">Comparing everyone who answered the same items…</Text>
          </Group>
        )}
        {agreement.isError && <ErrorNotice title="Agreement between people could not be measured" error={agreement.error} />}
        {report && report.questions.length === 0 && (
          <Text size="sm" data-testid="people-agreement-none">
            There is no question with options to choose from, so there is no agreement to show.
          </Text>
        )}
        {report && report.questions.length > 0 && chosen && (
          <>
            <Stack gap="xs">
              <Title order={4}>How sure the agreement is</Title>
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
                label="Question"
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
              <Title order={4}>Which answers get confused</Title>
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
  const workOut = useWorkOutAlphaIntervals(studyId);
  const working = useWorkingOutAlphaIntervals(studyId);
  return (
    <Stack gap="xs" align="flex-start" data-testid="interval-on-demand">
      <div role="status" aria-live="polite">
        {working ? (
          <Group gap="xs" wrap="nowrap">
            <Loader size="xs" aria-hidden />
            <Text size="sm" data-testid="interval-working">
              Working out the 95% intervals from 1,000 resamples of the items… You can leave this page: the work carries on,
              and the intervals are kept for next time.
            </Text>
          </Group>
        ) : (
          <Text size="sm">
            The 95% interval shows how sure each alpha is. Working it out resamples the items 1,000 times, which takes a few
            seconds on a large study; it is then kept with the results.
          </Text>
        )}
      </div>
      {!working && (
        <Button variant="light" size="sm" onClick={() => workOut.mutate()} data-testid="work-out-interval">
          Work out the confidence interval
        </Button>
      )}
      {workOut.isError && <ErrorNotice title="The confidence interval could not be worked out" error={workOut.error} />}
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
  const everyone = question.people.length;
  const byDefault = picked.length === 0;
  return (
    <Stack gap="xs">
      <Title order={4}>Who agreed with whom</Title>
      <Text size="sm" data-testid="people-matrix-who">
        {byDefault
          ? everyone > MOST_SHARED
            ? `The ${num(MOST_SHARED)} people who shared the most items with others, of ${num(everyone)}.`
            : `Everyone who answered an item someone else answered too: ${count(everyone, "person", "people")}, ${count(
                question.pairCount,
                "pair",
                "pairs",
              )}.`
          : `The ${count(question.shown.length, "person", "people")} you chose who shared items with others.`}
      </Text>
      {everyone > 2 && (
        <Group align="flex-end" gap="sm">
          <MultiSelect
            label="Show these people instead"
            placeholder={picked.length === 0 ? "Search by Prolific ID" : undefined}
            searchable
            clearable
            limit={50}
            maxValues={MOST_PICKED}
            data={question.people.map((person) => ({
              value: person.participantId,
              label: `${person.participantId} (${count(person.sharedItems, "item", "items")} with ${count(
                person.partners,
                "person",
                "people",
              )})`,
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
              Back to the {MOST_SHARED} who shared most
            </Button>
          )}
          {updating && <Loader size="xs" aria-label="Updating the matrix" />}
        </Group>
      )}
      <PeopleMatrix shown={question.shown} pairs={question.pairs} title={question.title} />
    </Stack>
  );
}
