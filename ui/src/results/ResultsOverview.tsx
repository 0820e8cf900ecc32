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

import { say, t as translate, Trans, useTranslation } from "../i18n";
import { formatDateTime, formatDecimal, formatMeasure, formatNumber, formatPercent, formatWholePercent, formatWithUnit, percentsAddingUp } from "../format";
import { resultsVersion, useItemList } from "../queries";
import { isChoice } from "./words";
import { type Labels, labelsByQuestion, optionText } from "./labels";
import { MoreItems } from "./MoreItems";
import type { ItemResult, NumberSummary, QuestionAgreement, QuestionAnalysis, ResultsSummary } from "../backend";

export type ResultsOverviewProps = { summary: ResultsSummary };

/** Krippendorff's alpha read in plain words (the usual 0.8 and 0.667 thresholds). */
export function alphaReading(alpha: number | null): { word: string; color: string; text: string } {
  if (alpha === null) {
    return {
      word: translate("results:alpha.none.word"),
      color: "gray",
      text: translate("results:alpha.none.text"),
    };
  }
  if (alpha >= 0.8) {
    return { word: translate("results:alpha.good.word"), color: "teal", text: translate("results:alpha.good.text") };
  }
  if (alpha >= 0.667) {
    return {
      word: translate("results:alpha.tentative.word"),
      color: "yellow",
      text: translate("results:alpha.tentative.text"),
    };
  }
  return {
    word: translate("results:alpha.low.word"),
    color: "red",
    text: translate("results:alpha.low.text"),
  };
}

function isTie(item: ItemResult): boolean {
  return item.consolidated.label === null && item.consolidated.tiedLabels.length > 0;
}

/**
 * The analysed results of a study: what was counted (and what was not, so nothing is
 * dropped silently), then for each question how people answered and how far they agree.
 */
export function ResultsOverview({ summary }: ResultsOverviewProps) {
  const { t } = useTranslation("results");
  const { analysis } = summary;
  const titles = new Map(summary.questions.map((q) => [q.id, q.title]));
  const labels = labelsByQuestion(summary.questions);
  const downloaded = formatDateTime(summary.downloadedAt) ?? t("overview.earlierDownload");
  const notCounted = [
    analysis.skippedRecords > 0 && t("overview.notCounted.skipped", { count: analysis.skippedRecords }),
    analysis.duplicateAnswers > 0 && t("overview.notCounted.duplicates", { count: analysis.duplicateAnswers }),
    analysis.emptyAnswers > 0 && t("overview.notCounted.empty", { count: analysis.emptyAnswers }),
  ].filter((line): line is string => typeof line === "string");

  return (
    <Stack gap="lg" data-testid="results-overview">
      {/* When they were downloaded is said once, in the results' heading. */}
      {summary.fromCache && (
        <Alert color="yellow" variant="light" icon={<IconCloudOff aria-hidden />} data-testid="offline-copy">
          {t("overview.offline", { downloaded })}
        </Alert>
      )}

      {summary.notice && (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconInfoCircle aria-hidden />}
          title={t("overview.notice")}
          data-testid="results-notice"
        >
          {say(summary.notice)}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" data-testid="results-totals">
        <Figure label={t("overview.totals.items")} value={analysis.itemCount} testId="total-items" />
        <Figure label={t("overview.totals.participants")} value={analysis.participantCount} testId="total-participants" />
        <Figure label={t("overview.totals.answers")} value={analysis.answerCount} testId="total-answers" />
      </SimpleGrid>

      {notCounted.length > 0 && (
        <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />} title={t("overview.notCounted.title")} data-testid="not-counted">
          <List size="sm">
            {notCounted.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      {analysis.questions.length === 0 && <Text>{t("overview.noAnswers")}</Text>}
      {analysis.questions.map((question) => (
        <QuestionResults
          key={question.questionId}
          question={question}
          title={titles.get(question.questionId) ?? t("overview.question", { id: question.questionId })}
          labels={labels.get(question.questionId) ?? new Map()}
          studyId={summary.studyId}
          version={resultsVersion(summary)}
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
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

/**
 * One question's results. A choice's options read as participants read them (`labels`,
 * by value); the counts are the values'.
 */
function QuestionResults({
  question,
  title,
  labels,
  studyId,
  version,
}: {
  question: QuestionAnalysis;
  title: string;
  labels: Labels;
  studyId: string;
  version: string;
}) {
  const { t } = useTranslation("results");
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
            {t("overview.questionCounts", {
              answers: t("count.answers", { count: question.answerCount }),
              items: t("count.items", { count: question.itemsAnswered }),
              people: t("count.people", { count: question.participantCount }),
            })}
          </Text>
        </div>
        {choice && <Distribution question={question} title={title} labels={labels} />}
        {question.numbers && <Numbers numbers={question.numbers} title={title} questionId={question.questionId} />}
        {choice && question.agreement && <Agreement agreement={question.agreement} />}
        {choice && <FlaggedItems question={question} labels={labels} studyId={studyId} version={version} />}
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
  const { t } = useTranslation("results");
  if (question.distribution.length === 0) {
    return <Text size="sm">{t("overview.distribution.none")}</Text>;
  }
  const counts = question.distribution.map((option) => option.count);
  // One option per answer: the shares are parts of one whole and add up to 100 %. With
  // several options to an answer each is a share of the answers on its own.
  const oneEach = counts.reduce((sum, value) => sum + value, 0) === question.answerCount;
  const shares = oneEach
    ? percentsAddingUp(counts).map((share) => formatWholePercent(share))
    : question.distribution.map((option) => formatPercent(option.shareOfAnswers));
  return (
    <Stack gap={4}>
      <BarTable
        caption={t("overview.distribution.caption", { title })}
        heading={t("overview.distribution.answer")}
        countHeading={t("overview.distribution.chosen")}
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
          {t("overview.distribution.overlap")}
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
  const { t } = useTranslation("results");
  const most = Math.max(0, ...rows.map((row) => row.count));
  return (
    <Table withTableBorder maw={720} data-testid={testId} data-question-id={questionId}>
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{heading}</Table.Th>
          <Table.Th w="45%">
            <VisuallyHidden>{t("overview.bars.bar")}</VisuallyHidden>
          </Table.Th>
          <Table.Th ta="right">{countHeading}</Table.Th>
          <Table.Th ta="right">{t("overview.bars.share")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.key} data-testid={`${testId}-row`}>
            <Table.Td>
              {row.label}
              {row.value !== undefined && (
                <Text span size="xs" c="dimmed" title={t("overview.bars.valueTitle")}>
                  {" "}
                  {t("overview.bars.value", { value: row.value })}
                </Text>
              )}
            </Table.Td>
            <Table.Td aria-hidden>
              <Progress value={most > 0 ? (row.count / most) * 100 : 0} size="lg" radius="sm" data-testid="distribution-bar" />
            </Table.Td>
            <Table.Td ta="right">{formatNumber(row.count)}</Table.Td>
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
  if (from === to) return formatWithUnit(from, numbers);
  return translate("results:overview.numbers.binUnder", { from: formatWithUnit(from, { ...numbers, unit: null }), to: formatWithUnit(to, numbers) });
}

/**
 * A number question: its mean, median and range, then how the answers spread, and what
 * was left out (answers in another unit, or not numbers) so nothing is dropped silently.
 */
function Numbers({ numbers, title, questionId }: { numbers: NumberSummary; title: string; questionId: string }) {
  const { t } = useTranslation("results");
  if (numbers.count === 0 || numbers.mean === null || numbers.median === null) {
    return <Text size="sm">{t("overview.numbers.none")}</Text>;
  }
  const bins = numbers.distribution.map((bin) => ({ from: bin.from ?? 0, to: bin.to ?? 0, count: bin.count }));
  const shares = percentsAddingUp(bins.map((bin) => bin.count)).map((share) => formatWholePercent(share));
  const last = bins.length - 1;
  const leftOut = [
    numbers.otherUnits > 0 && t("overview.numbers.otherUnits", { count: numbers.otherUnits }),
    numbers.notNumbers > 0 && t("overview.numbers.notNumbers", { count: numbers.notNumbers }),
  ].filter((line): line is string => typeof line === "string");
  return (
    <Stack gap="sm" data-testid="number-summary" data-question-id={questionId}>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" maw={720}>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t("overview.numbers.mean")}
          </Text>
          <Text size="lg" fw={700} data-testid="number-mean">
            {formatWithUnit(numbers.mean, numbers)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t("overview.numbers.median")}
          </Text>
          <Text size="lg" fw={700} data-testid="number-median">
            {formatWithUnit(numbers.median, numbers)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t("overview.numbers.range")}
          </Text>
          <Text size="lg" fw={700} data-testid="number-range">
            {numbers.min === null || numbers.max === null
              ? "–"
              : numbers.min === numbers.max
                ? formatWithUnit(numbers.min, numbers)
                : t("overview.numbers.between", { from: formatMeasure(numbers.min), to: formatWithUnit(numbers.max, numbers) })}
          </Text>
        </Paper>
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {t("overview.numbers.explain")}
      </Text>
      <BarTable
        caption={t("overview.numbers.caption", { title })}
        heading={bins.some((bin) => bin.from !== bin.to) ? t("overview.numbers.answersFrom") : t("overview.distribution.answer")}
        countHeading={t("overview.numbers.answers")}
        rows={bins.map((bin, index) => ({
          key: `${bin.from}-${bin.to}`,
          label:
            index === last && bin.from !== bin.to
              ? t("overview.numbers.between", { from: formatWithUnit(bin.from, { ...numbers, unit: null }), to: formatWithUnit(bin.to, numbers) })
              : binLabel(bin.from, bin.to, numbers),
          count: bin.count,
          share: shares[index] ?? "–",
        }))}
        testId="number-distribution"
        questionId={questionId}
      />
      {leftOut.length > 0 && (
        <Text size="sm" c="dimmed" data-testid="number-left-out">
          {numbers.unit
            ? t("overview.numbers.leftOutUnit", { leftOut: leftOut.join(t("overview.numbers.and")), unit: numbers.unit })
            : t("overview.numbers.leftOut", { leftOut: leftOut.join(t("overview.numbers.and")) })}
        </Text>
      )}
    </Stack>
  );
}

function Agreement({ agreement }: { agreement: QuestionAgreement }) {
  const { t } = useTranslation("results");
  const reading = alphaReading(agreement.krippendorffAlpha);
  return (
    <Stack gap="xs" data-testid="agreement">
      <Title order={4}>{t("overview.agreement.title")}</Title>
      <Group gap="sm" align="baseline">
        <Text>
          {t("overview.agreement.alpha")}{" "}
          <Text span fw={700} data-testid="alpha">
            {agreement.krippendorffAlpha === null ? "–" : formatDecimal(agreement.krippendorffAlpha)}
          </Text>
        </Text>
        <Badge color={reading.color} variant="light" data-testid="alpha-reading">
          {reading.word}
        </Badge>
      </Group>
      <Text size="sm">
        {reading.text} {t("overview.agreement.scale")}
      </Text>
      <List size="sm" spacing={2}>
        <List.Item data-testid="percent-agreement">
          <Trans
            t={t}
            i18nKey="overview.agreement.percent"
            values={{ percent: formatPercent(agreement.percentAgreement) }}
            components={{ strong: <strong /> }}
          />
        </List.Item>
        <List.Item data-testid="items-rated">
          {t("overview.agreement.rated", { count: agreement.itemsRated })}
        </List.Item>
        <List.Item data-testid="low-agreement-items">
          {t("overview.agreement.low", { count: agreement.lowAgreementItems })}
        </List.Item>
        <List.Item data-testid="tied-items">
          {t("overview.agreement.ties", { count: agreement.tiedItems })}
        </List.Item>
      </List>
      {agreement.answerSetsComparedWhole && (
        <Text size="sm" c="dimmed" data-testid="sets-compared-whole">
          {t("overview.agreement.setsWhole")}
        </Text>
      )}
    </Stack>
  );
}

/** The items people disagreed on or tied (which ones is Rust's rule), the first few, then more on request. */
function FlaggedItems({
  question,
  labels,
  studyId,
  version,
}: {
  question: QuestionAnalysis;
  labels: Labels;
  studyId: string;
  version: string;
}) {
  const { t } = useTranslation("results");
  const [open, setOpen] = useState(false);
  const listId = useId();
  const list = useItemList<ItemResult>(studyId, version, question.questionId, "flagged", question.flagged);
  const total = question.flagged.total;
  if (total === 0) {
    return (
      <Text size="sm" data-testid="flagged-none">
        {t("overview.flagged.none")}
      </Text>
    );
  }
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
          {open ? t("overview.flagged.hide", { count: total }) : t("overview.flagged.show", { count: total })}
        </Button>
      </Group>
      {open && (
        <Stack gap="xs" id={listId}>
          <Table.ScrollContainer minWidth={520}>
            <Table striped withTableBorder data-testid="flagged-items">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("overview.flagged.task")}</Table.Th>
                  <Table.Th>{t("overview.flagged.taken")}</Table.Th>
                  <Table.Th ta="right">{t("overview.flagged.support")}</Table.Th>
                  <Table.Th ta="right">{t("overview.flagged.answers")}</Table.Th>
                  <Table.Th>{t("overview.flagged.why")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((item) => (
                  <Table.Tr key={item.item} data-testid="flagged-item">
                    <Table.Td>{item.taskId}</Table.Td>
                    <Table.Td>
                      {isTie(item)
                        ? t("overview.flagged.tie", {
                            labels: item.consolidated.tiedLabels.map((tied) => optionText(tied, labels)).join(" / "),
                          })
                        : item.consolidated.label === null
                          ? "–"
                          : optionText(item.consolidated.label, labels)}
                    </Table.Td>
                    <Table.Td ta="right">{formatPercent(item.consolidated.support)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(item.agreement.answers)}</Table.Td>
                    <Table.Td>
                      {[isTie(item) && t("overview.flagged.whyTie"), item.agreement.lowAgreement && t("overview.flagged.whyLow")]
                        .filter(Boolean)
                        .join(t("listSeparator"))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <MoreItems list={list} first={question.flagged.first.length} testId="flagged-show-more" />
        </Stack>
      )}
    </Stack>
  );
}
