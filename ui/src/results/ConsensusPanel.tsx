import { Badge, Button, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useId, useState } from "react";

import { confidenceSentence, consensusSummary, itemsToReview } from "./consensusWords";
import { decimal, isChoice, percent } from "./format";
import { type Labels, labelsByQuestion, optionText } from "./labels";
import { ReliabilityTable } from "./ReliabilityTable";
import type { ItemResult, QuestionAnalysis, ResultsSummary } from "./types";

/** How many items to review are listed before "Show all". */
export const REVIEW_PREVIEW = 20;

/**
 * Model-based consensus (Dawid-Skene) for each choice question: the items where it and
 * the majority vote part ways or where it is unsure, each with its confidence, and how
 * reliable each person was, least reliable first.
 */
export function ConsensusPanel({ summary }: { summary: ResultsSummary }) {
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
          title={titles.get(question.questionId) ?? `Question ${question.questionId}`}
          labels={labels.get(question.questionId) ?? new Map()}
        />
      ))}
    </Stack>
  );
}

function QuestionConsensusView({ question, title, labels }: { question: QuestionAnalysis; title: string; labels: Labels }) {
  const headingId = useId();
  const consensus = question.consensus;
  if (!consensus) return null;
  const answered = question.items.filter((item) => item.consensus).length;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid="question-consensus" data-question-id={question.questionId}>
      <Stack gap="md">
        <div>
          <Title order={3} id={headingId}>
            Consensus and reliability: {title}
          </Title>
          <Text size="sm" data-testid="consensus-summary">
            {consensusSummary(consensus, answered)}
          </Text>
          <Text size="sm" c="dimmed">
            {confidenceSentence(0.93)} MACE, a second model, picks the same answer on {percent(consensus.maceAgreement)} of
            items.
          </Text>
        </div>
        <ItemsToReview items={question.items} labels={labels} title={title} />
        <div>
          <Title order={4}>How reliable each person was</Title>
          <Text size="sm" c="dimmed" mb="xs">
            Reliability is the model&apos;s estimate of how often the person gives the right answer; competence is how often
            MACE thinks they answered from knowing rather than guessing or giving one answer to everything.
          </Text>
          <ReliabilityTable people={consensus.annotators} classes={consensus.classes} labels={labels} title={title} />
        </div>
      </Stack>
    </Paper>
  );
}

function ItemsToReview({ items, labels, title }: { items: readonly ItemResult[]; labels: Labels; title: string }) {
  const [all, setAll] = useState(false);
  const review = itemsToReview(items);
  if (review.length === 0) {
    return (
      <Text size="sm" data-testid="consensus-no-review">
        The model agrees with the majority vote everywhere, and is sure of every item.
      </Text>
    );
  }
  const shown = all ? review : review.slice(0, REVIEW_PREVIEW);
  const majorityText = (item: ItemResult) =>
    item.consolidated.label !== null
      ? optionText(item.consolidated.label, labels)
      : `tie: ${item.consolidated.tiedLabels.map((label) => optionText(label, labels)).join(" / ")}`;
  return (
    <div>
      <Title order={4}>Items to look at ({review.length})</Title>
      <Text size="sm" c="dimmed" mb="xs">
        Where the model and the majority vote differ, or the model is less than 80% sure; least sure first.
      </Text>
      <Table.ScrollContainer minWidth={520}>
        <Table striped aria-label={`Items where the consensus differs or is unsure: ${title}`} data-testid="consensus-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Item</Table.Th>
              <Table.Th>Majority vote</Table.Th>
              <Table.Th>Consensus</Table.Th>
              <Table.Th ta="right">Confidence</Table.Th>
              <Table.Th>MACE</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((item) => {
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
                        differs
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" title={confidenceSentence(consensus.confidence ?? 0)}>
                    {decimal(consensus.confidence ?? 0)}
                  </Table.Td>
                  <Table.Td>{optionText(consensus.maceLabel, labels)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {review.length > REVIEW_PREVIEW && (
        <Button variant="subtle" size="compact-sm" onClick={() => setAll(!all)}>
          {all ? "Show fewer" : `Show all ${review.length}`}
        </Button>
      )}
    </div>
  );
}
