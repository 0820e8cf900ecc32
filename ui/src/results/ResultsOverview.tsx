import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { IconAlertTriangle, IconCloudOff, IconInfoCircle } from "@tabler/icons-react";
import { useId, useState } from "react";

import {
  count,
  decimal,
  formatDateTime,
  isChoice,
  measure,
  num,
  percent,
  percentsAddingUp,
  wholePercent,
  withUnit,
} from "./format";
import { type Labels, labelsByQuestion, optionText } from "./labels";
import type { ItemResult, NumberSummary, QuestionAgreement, QuestionAnalysis, ResultsSummary } from "./types";

export type ResultsOverviewProps = { summary: ResultsSummary };

/** How many flagged items are listed before "Show all". */
export const FLAGGED_PREVIEW = 50;

/** Krippendorff's alpha read in plain words (the usual 0.8 and 0.667 thresholds). */
export function alphaReading(alpha: number | null): { word: string; color: string; text: string } {
  if (alpha === null) {
    return {
      word: "Not measurable yet",
      color: "gray",
      text: "It needs items answered by two or more people, and more than one kind of answer in all.",
    };
  }
  if (alpha >= 0.8) {
    return { word: "Good", color: "teal", text: "People agree well beyond what chance would give." };
  }
  if (alpha >= 0.667) {
    return {
      word: "Tentative",
      color: "yellow",
      text: "People agree somewhat; use the answers with care, and look at any items flagged below.",
    };
  }
  return {
    word: "Low",
    color: "red",
    text: "People often disagree. The instructions may be unclear, or the items genuinely hard: check any items flagged below, and the answers in the table.",
  };
}

/** An item that needs a look: people disagreed, or the top answers tied. */
function flagged(item: ItemResult): boolean {
  return item.agreement.lowAgreement || isTie(item);
}

function isTie(item: ItemResult): boolean {
  return item.consolidated.label === null && item.consolidated.tiedLabels.length > 0;
}

/**
 * The analysed results of a study: what was counted (and what was not, so nothing is
 * dropped silently), then for each question how people answered and how far they agree.
 */
export function ResultsOverview({ summary }: ResultsOverviewProps) {
  const { analysis } = summary;
  const titles = new Map(summary.questions.map((q) => [q.id, q.title]));
  const labels = labelsByQuestion(summary.questions);
  const downloaded = formatDateTime(summary.downloadedAt) ?? "an earlier download";
  const notCounted = [
    analysis.skippedRecords > 0 &&
      `${count(analysis.skippedRecords, "record", "records")} could not be used (no task, participant or question, or no submission) and ${
        analysis.skippedRecords === 1 ? "was" : "were"
      } skipped.`,
    analysis.duplicateAnswers > 0 &&
      `${count(analysis.duplicateAnswers, "answer was a repeat", "answers were repeats")} by the same person for the same item and question; only the first was kept.`,
    analysis.emptyAnswers > 0 && `${count(analysis.emptyAnswers, "answer was", "answers were")} empty.`,
  ].filter((line): line is string => typeof line === "string");

  return (
    <Stack gap="lg" data-testid="results-overview">
      {/* When they were downloaded is said once, in the results' heading. */}
      {summary.fromCache && (
        <Alert color="yellow" variant="light" icon={<IconCloudOff aria-hidden />} data-testid="offline-copy">
          Prolific could not be reached, so this is the offline copy from {downloaded}.
        </Alert>
      )}

      {summary.notice && (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconInfoCircle aria-hidden />}
          title="Read from Prolific directly"
          data-testid="results-notice"
        >
          {summary.notice}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" data-testid="results-totals">
        <Figure label="Items" value={analysis.itemCount} testId="total-items" />
        <Figure label="Participants" value={analysis.participantCount} testId="total-participants" />
        <Figure label="Answers" value={analysis.answerCount} testId="total-answers" />
      </SimpleGrid>

      {notCounted.length > 0 && (
        <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />} title="Not counted" data-testid="not-counted">
          <List size="sm">
            {notCounted.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      {analysis.questions.length === 0 && <Text>There are no answers to show yet.</Text>}
      {analysis.questions.map((question) => (
        <QuestionResults
          key={question.questionId}
          question={question}
          title={titles.get(question.questionId) ?? `Question ${question.questionId}`}
          labels={labels.get(question.questionId) ?? new Map()}
        />
      ))}
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {num(value)}
      </Text>
    </Paper>
  );
}

/**
 * One question's results. A choice's options read as participants read them (`labels`,
 * by value); the counts are the values'.
 */
function QuestionResults({ question, title, labels }: { question: QuestionAnalysis; title: string; labels: Labels }) {
  const headingId = useId();
  const choice = isChoice(question.kind);
  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby={headingId}
      data-testid="question-results"
      data-question-id={question.questionId}
    >
      <Stack gap="md">
        <div>
          <Title order={3} id={headingId}>
            {title}
          </Title>
          <Text size="sm" c="dimmed" data-testid="question-counts">
            {count(question.answerCount, "answer", "answers")} on {count(question.itemsAnswered, "item", "items")}, from{" "}
            {count(question.participantCount, "person", "people")}
          </Text>
        </div>
        {choice && <Distribution question={question} title={title} labels={labels} />}
        {question.numbers && <Numbers numbers={question.numbers} title={title} questionId={question.questionId} />}
        {choice && question.agreement && <Agreement agreement={question.agreement} />}
        {choice && <FlaggedItems items={question.items} labels={labels} />}
      </Stack>
    </Paper>
  );
}

/**
 * How often each answer was chosen, as a bar chart drawn with the table it reads from
 * (bars scaled to the most chosen answer), so the numbers are there for screen readers
 * and for copying. Drawn in plain HTML: chart libraries that patch built-in prototypes
 * cannot run under the app's frozen prototypes.
 */
function Distribution({ question, title, labels }: { question: QuestionAnalysis; title: string; labels: Labels }) {
  if (question.distribution.length === 0) {
    return <Text size="sm">Nobody has chosen an option yet.</Text>;
  }
  const counts = question.distribution.map((option) => option.count);
  // One option per answer: the shares are parts of one whole and add up to 100 %. With
  // several options to an answer each is a share of the answers on its own.
  const oneEach = counts.reduce((sum, value) => sum + value, 0) === question.answerCount;
  const shares = oneEach
    ? percentsAddingUp(counts).map(wholePercent)
    : question.distribution.map((option) => percent(option.shareOfAnswers));
  return (
    <Stack gap={4}>
      <BarTable
        caption={`How often each answer was chosen for “${title}”`}
        heading="Answer"
        countHeading="Chosen"
        rows={question.distribution.map((option, index) => ({
          key: option.value,
          label: optionText(option.value, labels),
          // The value the downloads hold, beside the label when they differ.
          value: optionText(option.value, labels) === option.value ? undefined : option.value,
          count: option.count,
          share: shares[index] ?? "–",
        }))}
        testId="distribution-chart"
        questionId={question.questionId}
      />
      {!oneEach && (
        <Text size="xs" c="dimmed" data-testid="shares-overlap">
          People could choose more than one option, so the shares add up to more than 100 %.
        </Text>
      )}
    </Stack>
  );
}

type BarRow = { key: string; label: string; value?: string | undefined; count: number; share: string };

/**
 * A bar chart drawn with the table it reads from (bars scaled to the largest count), so
 * the numbers are there for screen readers and for copying.
 */
function BarTable({
  caption,
  heading,
  countHeading,
  rows,
  testId,
  questionId,
}: {
  caption: string;
  heading: string;
  countHeading: string;
  rows: BarRow[];
  testId: string;
  questionId: string;
}) {
  const most = Math.max(0, ...rows.map((row) => row.count));
  return (
    <Table withTableBorder maw={720} data-testid={testId} data-question-id={questionId}>
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{heading}</Table.Th>
          <Table.Th w="45%">
            <VisuallyHidden>Bar</VisuallyHidden>
          </Table.Th>
          <Table.Th ta="right">{countHeading}</Table.Th>
          <Table.Th ta="right">Share of answers</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.key} data-testid={`${testId}-row`}>
            <Table.Td>
              {row.label}
              {row.value !== undefined && (
                <Text span size="xs" c="dimmed" title="The value the downloads hold">
                  {" "}
                  ({row.value})
                </Text>
              )}
            </Table.Td>
            <Table.Td aria-hidden>
              <Progress value={most > 0 ? (row.count / most) * 100 : 0} size="lg" radius="sm" data-testid="distribution-bar" />
            </Table.Td>
            <Table.Td ta="right">{num(row.count)}</Table.Td>
            <Table.Td ta="right" data-testid="share">
              {row.share}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A value or a range of a number question's distribution, with its unit ("1 star", "10 – 20 kg"). */
function binLabel(from: number, to: number, numbers: NumberSummary): string {
  if (from === to) return withUnit(from, numbers);
  return `${withUnit(from, { ...numbers, unit: null })} to under ${withUnit(to, numbers)}`;
}

/**
 * A number question: its mean, median and range, then how the answers spread, and what
 * was left out (answers in another unit, or not numbers) so nothing is dropped silently.
 */
function Numbers({ numbers, title, questionId }: { numbers: NumberSummary; title: string; questionId: string }) {
  if (numbers.count === 0 || numbers.mean === null || numbers.median === null) {
    return <Text size="sm">No answer could be read as a number yet.</Text>;
  }
  const bins = numbers.distribution.map((bin) => ({ from: bin.from ?? 0, to: bin.to ?? 0, count: bin.count }));
  const shares = percentsAddingUp(bins.map((bin) => bin.count)).map(wholePercent);
  const last = bins.length - 1;
  const leftOut = [
    numbers.otherUnits > 0 && `${count(numbers.otherUnits, "answer", "answers")} in another unit`,
    numbers.notNumbers > 0 && `${count(numbers.notNumbers, "answer", "answers")} that ${numbers.notNumbers === 1 ? "is" : "are"} not a number`,
  ].filter((line): line is string => typeof line === "string");
  return (
    <Stack gap="sm" data-testid="number-summary" data-question-id={questionId}>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" maw={720}>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Mean
          </Text>
          <Text size="lg" fw={700} data-testid="number-mean">
            {withUnit(numbers.mean, numbers)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Median
          </Text>
          <Text size="lg" fw={700} data-testid="number-median">
            {withUnit(numbers.median, numbers)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Range
          </Text>
          <Text size="lg" fw={700} data-testid="number-range">
            {numbers.min === null || numbers.max === null
              ? "–"
              : numbers.min === numbers.max
                ? withUnit(numbers.min, numbers)
                : `${measure(numbers.min)} to ${withUnit(numbers.max, numbers)}`}
          </Text>
        </Paper>
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        The mean is the average; the median the middle answer (as many are above it as below).
      </Text>
      <BarTable
        caption={`How the answers to “${title}” spread`}
        heading={bins.some((bin) => bin.from !== bin.to) ? "Answers from" : "Answer"}
        countHeading="Answers"
        rows={bins.map((bin, index) => ({
          key: `${bin.from}-${bin.to}`,
          label:
            index === last && bin.from !== bin.to
              ? `${withUnit(bin.from, { ...numbers, unit: null })} to ${withUnit(bin.to, numbers)}`
              : binLabel(bin.from, bin.to, numbers),
          count: bin.count,
          share: shares[index] ?? "–",
        }))}
        testId="number-distribution"
        questionId={questionId}
      />
      {leftOut.length > 0 && (
        <Text size="sm" c="dimmed" data-testid="number-left-out">
          Not included: {leftOut.join(" and ")}
          {numbers.unit ? ` (these figures are for answers in ${numbers.unit}).` : "."}
        </Text>
      )}
    </Stack>
  );
}

function Agreement({ agreement }: { agreement: QuestionAgreement }) {
  const reading = alphaReading(agreement.krippendorffAlpha);
  return (
    <Stack gap="xs" data-testid="agreement">
      <Title order={4}>How far people agree</Title>
      <Group gap="sm" align="baseline">
        <Text>
          Krippendorff's alpha:{" "}
          <Text span fw={700} data-testid="alpha">
            {agreement.krippendorffAlpha === null ? "–" : decimal(agreement.krippendorffAlpha)}
          </Text>
        </Text>
        <Badge color={reading.color} variant="light" data-testid="alpha-reading">
          {reading.word}
        </Badge>
      </Group>
      <Text size="sm">
        {reading.text} Alpha is 1 when everyone agrees and around 0 when answers are no better than chance; 0.8 or more is
        good, 0.667 to 0.8 tentative, below 0.667 low.
      </Text>
      <List size="sm" spacing={2}>
        <List.Item data-testid="percent-agreement">
          Percent agreement: <strong>{percent(agreement.percentAgreement)}</strong> (how often two people who answered
          the same item gave the same answer)
        </List.Item>
        <List.Item data-testid="items-rated">
          {count(agreement.itemsRated, "item was", "items were")} answered by two or more people (agreement is measured
          on these)
        </List.Item>
        <List.Item data-testid="low-agreement-items">
          {count(agreement.lowAgreementItems, "item", "items")} with low agreement
        </List.Item>
        <List.Item data-testid="tied-items">
          {count(agreement.tiedItems, "tie", "ties")} (the most chosen answers got the same number of votes, so there is
          no single answer)
        </List.Item>
      </List>
      {agreement.answerSetsComparedWhole && (
        <Text size="sm" c="dimmed" data-testid="sets-compared-whole">
          Some people chose more than one option. Their answers are compared as a whole: “A and B” counts as a different
          answer from “A” alone, which lowers agreement.
        </Text>
      )}
    </Stack>
  );
}

function FlaggedItems({ items, labels }: { items: ItemResult[]; labels: Labels }) {
  const [open, setOpen] = useState(false);
  const [all, setAll] = useState(false);
  const listId = useId();
  const toCheck = items.filter(flagged);
  if (toCheck.length === 0) {
    return (
      <Text size="sm" data-testid="flagged-none">
        No items with low agreement or ties.
      </Text>
    );
  }
  const shown = all ? toCheck : toCheck.slice(0, FLAGGED_PREVIEW);
  return (
    <Stack gap="xs">
      <Group>
        <Button
          variant="subtle"
          px={0}
          leftSection={<IconAlertTriangle size={16} aria-hidden />}
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen((was) => !was)}
          data-testid="flagged-toggle"
        >
          {open ? "Hide" : "Show"} the {count(toCheck.length, "item", "items")} to check
        </Button>
      </Group>
      {open && (
        <Stack gap="xs" id={listId}>
          <Table.ScrollContainer minWidth={520}>
            <Table striped withTableBorder data-testid="flagged-items">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Task</Table.Th>
                  <Table.Th>Answer taken</Table.Th>
                  <Table.Th ta="right">Support</Table.Th>
                  <Table.Th ta="right">Answers</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((item) => (
                  <Table.Tr key={item.item} data-testid="flagged-item">
                    <Table.Td>{item.taskId}</Table.Td>
                    <Table.Td>
                      {isTie(item)
                        ? `Tie: ${item.consolidated.tiedLabels.map((tied) => optionText(tied, labels)).join(" / ")}`
                        : item.consolidated.label === null
                          ? "–"
                          : optionText(item.consolidated.label, labels)}
                    </Table.Td>
                    <Table.Td ta="right">{percent(item.consolidated.support)}</Table.Td>
                    <Table.Td ta="right">{num(item.agreement.answers)}</Table.Td>
                    <Table.Td>
                      {[isTie(item) && "tie", item.agreement.lowAgreement && "low agreement"].filter(Boolean).join(", ")}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {toCheck.length > shown.length && (
            <Group>
              <Button variant="light" size="xs" onClick={() => setAll(true)} data-testid="flagged-show-all">
                Show all {num(toCheck.length)}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}
