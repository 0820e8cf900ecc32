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
import { t as translate, useTranslation } from "../i18n";
import { useFetchDemographics, useStudyDemographics } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatDateTime, formatNumber, formatWholePercent, percentsAddingUp } from "../format";
import { type Labels, labelsOf, optionText } from "./labels";

export type WhoTookPartPanelProps = {
  studyId: string;
  /** The results these belong to (a new download, the pilots counted in or out). */
  version: string;
  questions: ResultsQuestion[];
};

const GROUPINGS: Grouping[] = ["ageBand", "country", "language"];

/** A grouping's words: its button, its column heading, and its name inside a sentence. */
function groupingWords(grouping: Grouping): { label: string; heading: string; inSentence: string } {
  return {
    label: translate(`results:whoTookPart.groupings.${grouping}.label`),
    heading: translate(`results:whoTookPart.groupings.${grouping}.heading`),
    inSentence: translate(`results:whoTookPart.groupings.${grouping}.inSentence`),
  };
}

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
  const { t } = useTranslation("results");
  const headingId = useId();
  const demographics = useStudyDemographics(studyId, version);
  const fetch = useFetchDemographics(studyId, version);
  const report = demographics.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid="who-took-part">
      <Stack gap="md">
        <div>
          <Title order={3} id={headingId}>
            {t("whoTookPart.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("whoTookPart.intro")}
          </Text>
        </div>
        {demographics.isPending && (
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text size="sm">{t("whoTookPart.looking")}</Text>
          </Group>
        )}
        {demographics.isError && <ErrorNotice title={t("whoTookPart.showFailed")} error={demographics.error} />}
        {fetch.isError && <ErrorNotice title={t("whoTookPart.fetchFailed")} error={fetch.error} />}
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
  const { t } = useTranslation("results");
  const allowed = report.exportsAllowed;
  return (
    <Stack gap="sm" data-testid="who-took-part-not-fetched">
      <Text size="sm">
        {t("whoTookPart.notFetched.what")}
      </Text>
      <Text size="sm">
        {t("whoTookPart.notFetched.limit", { count: allowed })}
        {report.exportsUsed !== null && ` ${t("whoTookPart.notFetched.used", { used: report.exportsUsed, allowed })}`}
      </Text>
      <Group>
        <Button
          leftSection={<IconUsersGroup size={18} aria-hidden />}
          loading={fetching}
          onClick={onFetch}
          data-testid="fetch-demographics"
        >
          {t("whoTookPart.fetch")}
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
  const { t } = useTranslation("results");
  const groupingLabelId = useId();
  const [grouping, setGrouping] = useState<Grouping>("ageBand");
  const [questionId, setQuestionId] = useState<string | null>(null);
  const [asTable, setAsTable] = useState(false);
  const breakdown = report.groupings.find((entry) => entry.grouping === grouping);
  const chosen = breakdown?.questions.find((question) => question.questionId === questionId) ?? breakdown?.questions[0];
  const words = groupingWords(grouping);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" data-testid="demographics-fetched-at">
          {t("whoTookPart.fetched", {
            when: formatDateTime(report.fetchedAt) ?? t("whoTookPart.earlier"),
            people: t("count.people", { count: report.peopleMatched }),
          })}
        </Text>
        <Button variant="default" size="sm" loading={fetching} onClick={onFetchAgain} data-testid="fetch-demographics-again">
          {t("whoTookPart.fetchAgain")}
        </Button>
      </Group>
      <Text size="sm" data-testid="demographics-minimum">
        {t("whoTookPart.minimum", { count: report.minGroupPeople })}
        {report.peopleNotInExport > 0 && ` ${t("whoTookPart.notInExport", { count: report.peopleNotInExport })}`}
      </Text>
      {breakdown && breakdown.questions.length === 0 && (
        <Text size="sm" data-testid="demographics-no-questions">
          {t("whoTookPart.noQuestions")}
        </Text>
      )}
      {chosen && (
        <>
          <Group align="flex-end" gap="md">
            <Stack gap={4}>
              <Text size="sm" fw={500} id={groupingLabelId}>
                {t("whoTookPart.groupBy")}
              </Text>
              <SegmentedControl
                aria-labelledby={groupingLabelId}
                data={GROUPINGS.map((value) => ({ value, label: groupingWords(value).label }))}
                value={grouping}
                onChange={setGrouping}
                data-testid="demographics-grouping"
              />
            </Stack>
            {breakdown && breakdown.questions.length > 1 && (
              <Select
                label={t("whoTookPart.question")}
                maw={480}
                allowDeselect={false}
                data={breakdown.questions.map((question) => ({ value: question.questionId, label: question.title }))}
                value={chosen.questionId}
                onChange={setQuestionId}
                data-testid="demographics-question"
              />
            )}
            <Switch
              label={t("whoTookPart.asTable")}
              checked={asTable}
              onChange={(event) => setAsTable(event.currentTarget.checked)}
              data-testid="demographics-as-table"
            />
          </Group>
          <Breakdown
            question={chosen}
            heading={words.heading}
            inSentence={words.inSentence}
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
  inSentence,
  labels,
  asTable,
}: {
  question: QuestionBreakdown;
  heading: string;
  /** The grouping's name inside a sentence ("age band"). */
  inSentence: string;
  labels: Labels;
  asTable: boolean;
}) {
  const { t } = useTranslation("results");
  const answerNames = question.answers.map((answer) => optionText(answer, labels));
  const table = <BreakdownTable question={question} heading={heading} inSentence={inSentence} answerNames={answerNames} />;
  return (
    <Stack gap="sm" data-testid="demographics-breakdown" data-question-id={question.questionId}>
      {question.groups.length === 0 && (
        <Text size="sm" data-testid="demographics-too-few">
          {t("whoTookPart.tooFew")}
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
                      {t("count.people", { count: group.people })}
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
          {t("whoTookPart.someLeftOut")}
        </Alert>
      )}
    </Stack>
  );
}

function BreakdownTable({
  question,
  heading,
  inSentence,
  answerNames,
}: {
  question: QuestionBreakdown;
  heading: string;
  inSentence: string;
  answerNames: string[];
}) {
  const { t } = useTranslation("results");
  return (
    <Table withTableBorder maw={900} data-testid="demographics-table">
      <Table.Caption>
        {t("whoTookPart.table.caption", { title: question.title, grouping: inSentence })}
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{heading}</Table.Th>
          <Table.Th scope="col" ta="right">
            {t("whoTookPart.table.people")}
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
              <Table.Td ta="right">{formatNumber(group.people)}</Table.Td>
              {group.counts.map((value, index) => (
                <Table.Td key={question.answers[index]} ta="right">
                  {t("whoTookPart.table.cell", { count: formatNumber(value), share: formatWholePercent(shares[index] ?? 0) })}
                </Table.Td>
              ))}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
