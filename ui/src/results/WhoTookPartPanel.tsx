import {
  Alert,
  Box,
  Button,
  Group,
  Loader,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { IconUsersGroup } from "@tabler/icons-react";
import { useId, useState } from "react";

import type { Demographics, Grouping, QuestionBreakdown, ResultsQuestion } from "../backend";
import { useFetchDemographics, useStudyDemographics } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { count, formatDateTime, num, percentsAddingUp, wholePercent } from "./format";
import { type Labels, labelsOf, optionText } from "./labels";

export type WhoTookPartPanelProps = {
  studyId: string;
  /** The results these belong to (a new download, the pilots counted in or out). */
  version: string;
  questions: ResultsQuestion[];
};

const GROUPINGS: { value: Grouping; label: string; heading: string }[] = [
  { value: "ageBand", label: "Age", heading: "Age band" },
  { value: "country", label: "Country", heading: "Country of residence" },
  { value: "language", label: "First language", heading: "First language" },
];

/** One colour per answer, in the order of the question's options. */
const ANSWER_COLOURS = ["blue.7", "orange.7", "teal.7", "grape.7", "red.7", "yellow.8", "cyan.8", "lime.8", "pink.7", "indigo.7"];

function colourOf(index: number): string {
  return ANSWER_COLOURS[index % ANSWER_COLOURS.length] ?? "gray.7";
}

/**
 * Who took part: how each group of participants (by age band, country, first language)
 * answered each choice question, from Prolific's demographic export. Fetched only when
 * the researcher asks (a study has few exports), saved on this computer; groups smaller
 * than the minimum are merged, so no one can be picked out.
 */
export function WhoTookPartPanel({ studyId, version, questions }: WhoTookPartPanelProps) {
  const headingId = useId();
  const demographics = useStudyDemographics(studyId, version);
  const fetch = useFetchDemographics(studyId, version);
  const report = demographics.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid="who-took-part">
      <Stack gap="md">
        <div>
          <Title order={3} id={headingId}>
            Who took part
          </Title>
          <Text size="sm" c="dimmed">
            How people of different ages, countries and first languages answered, in groups only.
          </Text>
        </div>
        {demographics.isPending && (
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text size="sm">Looking for who took part…</Text>
          </Group>
        )}
        {demographics.isError && <ErrorNotice title="Who took part could not be shown" error={demographics.error} />}
        {fetch.isError && <ErrorNotice title="Prolific's file of who took part could not be fetched" error={fetch.error} />}
        {report && report.fetchedAt === null && (
          <NotFetched report={report} fetching={fetch.isPending} onFetch={() => fetch.mutate()} />
        )}
        {report && report.fetchedAt !== null && (
          <Fetched report={report} questions={questions} fetching={fetch.isPending} onFetchAgain={() => fetch.mutate()} />
        )}
      </Stack>
    </Paper>
  );
}

/** What fetching does, in plain words, and the button that does it. */
function NotFetched({ report, fetching, onFetch }: { report: Demographics; fetching: boolean; onFetch: () => void }) {
  const allowed = report.exportsAllowed;
  return (
    <Stack gap="sm" data-testid="who-took-part-not-fetched">
      <Text size="sm">
        Batchdesk can ask Prolific for its file of who took part: each person&apos;s age, country and first language, as they
        told Prolific. It is used only to show how groups answered; no one is shown on their own.
      </Text>
      <Text size="sm">
        Prolific lets each study make only {count(allowed, "demographic export", "different demographic exports")}. Batchdesk
        asks for the plain file, without filters, keeps it on this computer and does not ask again unless you do.
        {report.exportsUsed !== null && ` This study has used ${num(report.exportsUsed)} of ${num(allowed)}.`}
      </Text>
      <Group>
        <Button
          leftSection={<IconUsersGroup size={18} aria-hidden />}
          loading={fetching}
          onClick={onFetch}
          data-testid="fetch-demographics"
        >
          Fetch who took part
        </Button>
      </Group>
    </Stack>
  );
}

function Fetched({
  report,
  questions,
  fetching,
  onFetchAgain,
}: {
  report: Demographics;
  questions: ResultsQuestion[];
  fetching: boolean;
  onFetchAgain: () => void;
}) {
  const groupingLabelId = useId();
  const [grouping, setGrouping] = useState<Grouping>("ageBand");
  const [questionId, setQuestionId] = useState<string | null>(null);
  const [asTable, setAsTable] = useState(false);
  const breakdown = report.groupings.find((entry) => entry.grouping === grouping);
  const chosen = breakdown?.questions.find((question) => question.questionId === questionId) ?? breakdown?.questions[0];
  const heading = GROUPINGS.find((entry) => entry.value === grouping)?.heading ?? "Group";
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" data-testid="demographics-fetched-at">
          From Prolific&apos;s file of who took part, fetched {formatDateTime(report.fetchedAt) ?? "earlier"}:{" "}
          {count(report.peopleMatched, "person", "people")} who answered.
        </Text>
        <Button variant="default" size="sm" loading={fetching} onClick={onFetchAgain} data-testid="fetch-demographics-again">
          Fetch again
        </Button>
      </Group>
      <Text size="sm" data-testid="demographics-minimum">
        Groups of fewer than {num(report.minGroupPeople)} people are put together under &ldquo;Other / fewer than{" "}
        {num(report.minGroupPeople)} people&rdquo;, so no one can be picked out from their answers.
        {report.peopleNotInExport > 0 &&
          ` ${count(report.peopleNotInExport, "person", "people")} who answered in a pilot or a second round ${
            report.peopleNotInExport === 1 ? "is" : "are"
          } not in this study's file and left out.`}
      </Text>
      {breakdown && breakdown.questions.length === 0 && (
        <Text size="sm" data-testid="demographics-no-questions">
          There is no question with options to choose from, so there are no answers to show by group.
        </Text>
      )}
      {chosen && (
        <>
          <Group align="flex-end" gap="md">
            <Stack gap={4}>
              <Text size="sm" fw={500} id={groupingLabelId}>
                Group people by
              </Text>
              <SegmentedControl
                aria-labelledby={groupingLabelId}
                data={GROUPINGS.map(({ value, label }) => ({ value, label }))}
                value={grouping}
                onChange={setGrouping}
                data-testid="demographics-grouping"
              />
            </Stack>
            {breakdown && breakdown.questions.length > 1 && (
              <Select
                label="Question"
                maw={480}
                allowDeselect={false}
                data={breakdown.questions.map((question) => ({ value: question.questionId, label: question.title }))}
                value={chosen.questionId}
                onChange={setQuestionId}
                data-testid="demographics-question"
              />
            )}
            <Switch
              label="Show the numbers as a table"
              checked={asTable}
              onChange={(event) => setAsTable(event.currentTarget.checked)}
              data-testid="demographics-as-table"
            />
          </Group>
          <Breakdown
            question={chosen}
            heading={heading}
            labels={labelsOf(questions.find((question) => question.id === chosen.questionId))}
            asTable={asTable}
          />
        </>
      )}
    </Stack>
  );
}

/** One question's answers by group: stacked bars, and the table they are drawn from. */
function Breakdown({
  question,
  heading,
  labels,
  asTable,
}: {
  question: QuestionBreakdown;
  heading: string;
  labels: Labels;
  asTable: boolean;
}) {
  const answerNames = question.answers.map((answer) => optionText(answer, labels));
  const table = <BreakdownTable question={question} heading={heading} answerNames={answerNames} />;
  return (
    <Stack gap="sm" data-testid="demographics-breakdown" data-question-id={question.questionId}>
      {question.groups.length === 0 && (
        <Text size="sm" data-testid="demographics-too-few">
          Too few people answered this question to show any group without risking that someone is picked out.
        </Text>
      )}
      {question.groups.length > 0 && !asTable && (
        <>
          {/* The chart repeats the table, which screen readers read instead. */}
          <Stack gap="xs" aria-hidden data-testid="demographics-chart">
            <Group gap="md">
              {answerNames.map((name, index) => (
                <Group key={question.answers[index]} gap={6} wrap="nowrap">
                  <Box w={12} h={12} bg={colourOf(index)} style={{ borderRadius: 2 }} />
                  <Text size="sm">{name}</Text>
                </Group>
              ))}
            </Group>
            {question.groups.map((group) => {
              const shares = percentsAddingUp(group.counts);
              return (
                <Stack key={group.label} gap={2} data-testid="demographics-bar" data-group={group.label}>
                  <Text size="sm">
                    <Text span fw={group.merged ? 400 : 500} fs={group.merged ? "italic" : undefined}>
                      {group.label}
                    </Text>{" "}
                    <Text span c="dimmed" size="xs">
                      {count(group.people, "person", "people")}
                    </Text>
                  </Text>
                  <Progress.Root size="xl" maw={720}>
                    {group.counts.map((value, index) =>
                      value > 0 ? (
                        <Progress.Section key={question.answers[index]} value={shares[index] ?? 0} color={colourOf(index)} />
                      ) : null,
                    )}
                  </Progress.Root>
                </Stack>
              );
            })}
          </Stack>
          <VisuallyHidden>{table}</VisuallyHidden>
        </>
      )}
      {question.groups.length > 0 && asTable && table}
      {question.someLeftOut && (
        <Alert variant="light" color="gray" data-testid="demographics-left-out">
          A few people are left out of this question: even put together, the small groups held fewer than five people.
        </Alert>
      )}
    </Stack>
  );
}

function BreakdownTable({
  question,
  heading,
  answerNames,
}: {
  question: QuestionBreakdown;
  heading: string;
  answerNames: string[];
}) {
  return (
    <Table withTableBorder maw={900} data-testid="demographics-table">
      <Table.Caption>
        Answers to &ldquo;{question.title}&rdquo; by {heading.toLowerCase()}: how many answers of each, and their share of
        the group&apos;s answers.
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{heading}</Table.Th>
          <Table.Th scope="col" ta="right">
            People
          </Table.Th>
          {answerNames.map((name, index) => (
            <Table.Th key={question.answers[index]} scope="col" ta="right">
              {name}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {question.groups.map((group) => {
          const shares = percentsAddingUp(group.counts);
          return (
            <Table.Tr key={group.label} data-testid="demographics-row" data-group={group.label}>
              <Table.Th scope="row" fw={group.merged ? 400 : 500}>
                {group.label}
              </Table.Th>
              <Table.Td ta="right">{num(group.people)}</Table.Td>
              {group.counts.map((value, index) => (
                <Table.Td key={question.answers[index]} ta="right">
                  {num(value)} ({wholePercent(shares[index] ?? 0)})
                </Table.Td>
              ))}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
