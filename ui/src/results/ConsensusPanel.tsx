import { Badge, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useId } from "react";

import { useTranslation } from "../i18n";
import { formatDecimal, formatPercent } from "../format";
import { resultsVersion, useItemList } from "../queries";
import { confidenceSentence, consensusSummary } from "./consensusWords";
import { isChoice } from "./words";
import { type Labels, labelsByQuestion, optionText } from "./labels";
import { MoreItems } from "./MoreItems";
import { ReliabilityTable } from "./ReliabilityTable";
import type { ItemResult, QuestionAnalysis, ResultsSummary } from "../backend";

/**
 * Model-based consensus (Dawid-Skene) for each choice question: the items where it and
 * the majority vote part ways or where it is unsure, each with its confidence, and how
 * reliable each person was, least reliable first.
 */
export function ConsensusPanel({ summary }: { summary: ResultsSummary }) {
  const { t } = useTranslation("results");
  const titles = new Map(summary.questions.map((q) => [q.id, q.title]));
  const labels = labelsByQuestion(summary.questions);
  const questions = summary.analysis.questions.filter((question) => isChoice(question.kind) && question.consensus);
  if (questions.length === 0) return null;
  return (
    <Stack gap="lg" data-testid="consensus-panel">
      {questions.map((question) => (
        <QuestionConsensusView
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

type QuestionViewProps = { question: QuestionAnalysis; title: string; labels: Labels; studyId: string; version: string };

function QuestionConsensusView({ question, title, labels, studyId, version }: QuestionViewProps) {
  const { t } = useTranslation("results");
  const headingId = useId();
  const consensus = question.consensus;
  if (!consensus) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid="question-consensus" data-question-id={question.questionId}>
      <Stack gap="md">
        <div>
          <Title order={3} id={headingId}>
            {t("consensus.title", { title })}
          </Title>
          <Text size="sm" data-testid="consensus-summary">
            {consensusSummary(consensus, question.consensusItems)}
          </Text>
          <Text size="sm" c="dimmed">
            {confidenceSentence(0.93)} {t("consensus.mace", { share: formatPercent(consensus.maceAgreement) })}
          </Text>
        </div>
        <ItemsToReview question={question} labels={labels} title={title} studyId={studyId} version={version} />
        <div>
          <Title order={4}>{t("consensus.reliability.title")}</Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t("consensus.reliability.explain")}
          </Text>
          <ReliabilityTable people={consensus.annotators} classes={consensus.classes} labels={labels} title={title} />
        </div>
      </Stack>
    </Paper>
  );
}

/**
 * The items worth a look, least confident first: where the model and the majority vote
 * differ, where the vote tied, or where the model is unsure (which ones is Rust's rule).
 */
function ItemsToReview({ question, labels, title, studyId, version }: QuestionViewProps) {
  const { t } = useTranslation("results");
  const list = useItemList<ItemResult>(studyId, version, question.questionId, "toReview", question.toReview);
  const total = question.toReview.total;
  if (total === 0) {
    return (
      <Text size="sm" data-testid="consensus-no-review">
        {t("consensus.noReview")}
      </Text>
    );
  }
  const majorityText = (item: ItemResult) =>
    item.consolidated.label !== null
      ? optionText(item.consolidated.label, labels)
      : t("consensus.tie", { labels: item.consolidated.tiedLabels.map((label) => optionText(label, labels)).join(" / ") });
  return (
    <div>
      <Title order={4}>{t("consensus.items.title", { count: total })}</Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t("consensus.items.intro", { share: formatPercent(question.consensus?.lowConfidence ?? null) })}
      </Text>
      <Table.ScrollContainer minWidth={520}>
        <Table striped aria-label={t("consensus.items.tableName", { title })} data-testid="consensus-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("consensus.items.item")}</Table.Th>
              <Table.Th>{t("consensus.items.majority")}</Table.Th>
              <Table.Th>{t("consensus.items.consensus")}</Table.Th>
              <Table.Th ta="right">{t("consensus.items.confidence")}</Table.Th>
              <Table.Th>{t("consensus.items.mace")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((item) => {
              const consensus = item.consensus;
              if (!consensus) return null;
              const differs = item.consolidated.label !== consensus.label;
              return (
                <Table.Tr key={item.item} data-testid="consensus-item" data-task-id={item.taskId}>
                  <Table.Td ff="monospace">{item.taskId}</Table.Td>
                  <Table.Td>{majorityText(item)}</Table.Td>
                  <Table.Td>
                    {optionText(consensus.label, labels)}{" "}
                    {differs && (
                      <Badge variant="light" color="grape" size="sm">
                        {t("consensus.items.differs")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" title={confidenceSentence(consensus.confidence ?? 0)}>
                    {formatDecimal(consensus.confidence ?? 0)}
                  </Table.Td>
                  <Table.Td>{optionText(consensus.maceLabel, labels)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <MoreItems list={list} first={question.toReview.first.length} testId="consensus-show-more" />
    </div>
  );
}
