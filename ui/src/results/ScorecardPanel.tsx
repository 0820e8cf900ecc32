import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { IconUserSearch } from "@tabler/icons-react";
import { type ReactNode, useState } from "react";

import type { FlagKind, ParticipantScore, ResultsSummary, StudyScorecard } from "../backend";
import { t as translate, useTranslation } from "../i18n";
import { useSetKnownAnswers, useStudyScorecard } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { formatDuration, formatNumber, formatPercent } from "../format";
import { isChoice } from "./words";
import { BonusesPanel } from "./BonusesPanel";
import { MessagePeople } from "./MessagePeople";
import { RememberPeople } from "./RememberPeople";
import { ReviewChosen } from "./ReviewChosen";
import { ReviewControls } from "./ReviewControls";

/** A doubt's name, in a few words. */
function flagWords(kind: FlagKind): string {
  return translate(`results:scorecard.flags.${kind}`);
}

/**
 * Whom to trust: each participant's agreement with the others, time and doubts, worst
 * first, every doubt with its evidence. It suggests; the researcher decides (Prolific
 * protects participants from unjust rejection).
 */
export function ScorecardPanel({
  studyId,
  version,
  summary,
}: {
  studyId: string;
  version: string;
  summary: ResultsSummary;
}) {
  const { t } = useTranslation("results");
  const card = useStudyScorecard(studyId, version);
  return (
    <Stack gap="sm" component="section" aria-labelledby="scorecard-title" data-testid="scorecard">
      <Title order={4} id="scorecard-title">
        {t("scorecard.title")}
      </Title>
      {card.isPending && <Loader size="sm" role="status" aria-label={t("scorecard.scoring")} />}
      {card.isError && <ErrorNotice title={t("scorecard.failed")} error={card.error} />}
      {card.data && (
        <>
          <KnownAnswersPicker studyId={studyId} version={version} summary={summary} card={card.data} />
          <ScorecardBody card={card.data} studyId={studyId} version={version} />
        </>
      )}
    </Stack>
  );
}

/**
 * Which column of the data, hidden from participants, holds the right answer of some
 * rows, and for which choice question: each person's accuracy on those rows then shows.
 */
function KnownAnswersPicker({
  studyId,
  version,
  summary,
  card,
}: {
  studyId: string;
  version: string;
  summary: ResultsSummary;
  card: StudyScorecard;
}) {
  const { t } = useTranslation("results");
  const choose = useSetKnownAnswers(studyId, version);
  const hidden = summary.dataColumns.filter((_, index) => !summary.shownColumns.includes(index));
  const questions = summary.questions.filter((question) => isChoice(question.kind));
  const chosen = card.knownAnswers;
  if (hidden.length === 0 || questions.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="known-answers-none">
        {t("scorecard.known.none")}
      </Text>
    );
  }
  const question = chosen?.questionId ?? (questions.length === 1 ? questions[0]!.id : null);
  return (
    <Stack gap={4}>
      <Group gap="sm" align="flex-end">
        <Select
          label={t("scorecard.known.column.label")}
          description={t("scorecard.known.column.description")}
          placeholder={t("scorecard.known.column.placeholder")}
          data={hidden}
          value={chosen?.column ?? null}
          clearable
          onChange={(column) =>
            choose.mutate(column && question ? { column, questionId: question } : null)
          }
          disabled={choose.isPending}
          w={280}
          data-testid="known-answers-column"
        />
        {questions.length > 1 && (
          <Select
            label={t("scorecard.known.question")}
            data={questions.map((q) => ({ value: q.id, label: q.title }))}
            value={question}
            allowDeselect={false}
            onChange={(questionId) =>
              questionId && chosen && choose.mutate({ column: chosen.column, questionId })
            }
            disabled={choose.isPending || !chosen}
            w={280}
            data-testid="known-answers-question"
          />
        )}
      </Group>
      {chosen && card.typicalKnownRight !== null && card.typicalKnownRight !== undefined && (
        <Text size="sm" c="dimmed" data-testid="known-answers-typical">
          {t("scorecard.known.typical", { share: formatPercent(card.typicalKnownRight) })}
        </Text>
      )}
      {choose.isError && <ErrorNotice title={t("scorecard.known.failed")} error={choose.error} />}
    </Stack>
  );
}

function ScorecardBody({ card, studyId, version }: { card: StudyScorecard; studyId: string; version: string }) {
  const { t } = useTranslation("results");
  const [everyone, setEveryone] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const toggle = (participantId: string) =>
    setChosen((current) =>
      current.includes(participantId) ? current.filter((id) => id !== participantId) : [...current, participantId],
    );
  const flagged = card.participants.filter((score) => score.flags.length > 0);
  const shown = everyone ? card.participants : flagged;
  const withChecks = card.participants.some((score) => score.checks > 0);
  const others = card.participants.length - flagged.length;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {card.typicalAgreement !== null && card.typicalAgreement !== undefined
          ? `${t("scorecard.typicalAgreement", { share: formatPercent(card.typicalAgreement) })} `
          : ""}
        {card.medianSeconds ? `${t("scorecard.medianTime", { time: formatDuration(card.medianSeconds) })} ` : ""}
        {t("scorecard.suggestions")}
      </Text>
      {flagged.length === 0 ? (
        <Alert variant="light" color="teal" icon={<IconUserSearch aria-hidden />} data-testid="scorecard-clear">
          {t("scorecard.clear")}
        </Alert>
      ) : (
        <Text size="sm" data-testid="scorecard-summary">
          {others > 0
            ? t("scorecard.summaryWithOthers", {
                flagged: t("scorecard.flaggedPeople", { count: flagged.length }),
                others: t("scorecard.otherPeople", { count: others }),
              })
            : t("scorecard.summary", { flagged: t("scorecard.flaggedPeople", { count: flagged.length }) })}
        </Text>
      )}
      {shown.length > 0 && (
        <Group gap="sm">
          <RememberPeople chosen={chosen} onDone={() => setChosen([])} />
          <MessagePeople studyId={studyId} chosen={chosen} />
          {flagged.length > 0 && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => setChosen(flagged.map((score) => score.participantId))}
              data-testid="choose-flagged"
            >
              {t("scorecard.choose.flagged")}
            </Button>
          )}
          {card.participants.length > flagged.length && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setChosen(mostReliable(card.participants, 3));
                setEveryone(true);
              }}
              data-testid="choose-top"
            >
              {t("scorecard.choose.top", { count: 3 })}
            </Button>
          )}
          {card.knownAnswers && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setChosen(knownRightAtLeast(card.participants, 0.8));
                setEveryone(true);
              }}
              data-testid="choose-known"
            >
              {t("scorecard.choose.known", { share: formatPercent(0.8) })}
            </Button>
          )}
          {withChecks && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setChosen(failedChecksAtLeast(card.participants, 2));
                setEveryone(true);
              }}
              data-testid="choose-failed-checks"
            >
              {t("scorecard.choose.failedChecks", { count: 2 })}
            </Button>
          )}
          <Button
            variant="subtle"
            size="xs"
            onClick={() => {
              setChosen(card.participants.map((score) => score.participantId));
              setEveryone(true);
            }}
            data-testid="choose-everyone"
          >
            {t("scorecard.choose.everyone")}
          </Button>
          {chosen.length > 0 && (
            <Button variant="subtle" size="xs" color="gray" onClick={() => setChosen([])} data-testid="choose-none">
              {t("scorecard.choose.nobody")}
            </Button>
          )}
        </Group>
      )}
      <BonusesPanel studyId={studyId} chosen={chosen} onPaid={() => setChosen([])} />
      <ReviewChosen studyId={studyId} version={version} card={card} chosen={chosen} onDone={setChosen} />
      {shown.length > 0 && (
        // Wide enough for the evidence to read as sentences: a narrow window scrolls
        // the table sideways rather than squeezing it.
        <Table.ScrollContainer minWidth={980}>
          <Table withTableBorder verticalSpacing="xs" data-testid="scorecard-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <VisuallyHidden>{t("scorecard.columns.chosen")}</VisuallyHidden>
                </Table.Th>
                <Table.Th>{t("scorecard.columns.participant")}</Table.Th>
                <Table.Th ta="right">{t("scorecard.columns.items")}</Table.Th>
                <Table.Th ta="right">{t("scorecard.columns.agrees")}</Table.Th>
                {card.knownAnswers && <Table.Th ta="right">{t("scorecard.columns.known")}</Table.Th>}
                {withChecks && <Table.Th ta="right">{t("scorecard.columns.checks")}</Table.Th>}
                <Table.Th ta="right">{t("scorecard.columns.time")}</Table.Th>
                <Table.Th miw={300}>{t("scorecard.columns.toLookAt")}</Table.Th>
                <Table.Th miw={150}>{t("scorecard.columns.review")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((score) => (
                <ScoreRow
                  key={score.participantId}
                  score={score}
                  known={Boolean(card.knownAnswers)}
                  checks={withChecks}
                  chosen={chosen.includes(score.participantId)}
                  onToggle={() => toggle(score.participantId)}
                  review={
                    <ReviewControls
                      studyId={studyId}
                      version={version}
                      participantId={score.participantId}
                      state={card.states[score.participantId]}
                      draft={score.draftRejection}
                    />
                  }
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {others > 0 && (
        <Group>
          <Button variant="subtle" size="xs" onClick={() => setEveryone((value) => !value)} data-testid="scorecard-everyone">
            {everyone ? t("scorecard.showFlagged") : t("scorecard.showEveryone", { count: card.participants.length })}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/**
 * The `count` people with nothing to note who agree with the others most (then get most
 * known answers right): a rule that only chooses; the researcher decides what to do.
 */
export function mostReliable(scores: ParticipantScore[], count: number): string[] {
  const share = (right: number, of: number) => (of > 0 ? right / of : 0);
  return scores
    .filter((score) => score.flags.length === 0)
    .sort(
      (a, b) =>
        share(b.agreed, b.compared) - share(a.agreed, a.compared) ||
        share(b.knownRight, b.known) - share(a.knownRight, a.known) ||
        a.participantId.localeCompare(b.participantId),
    )
    .slice(0, count)
    .map((score) => score.participantId);
}

/** Everyone who failed `count` or more attention checks. */
export function failedChecksAtLeast(scores: ParticipantScore[], count: number): string[] {
  return scores.filter((score) => score.checksFailed >= count).map((score) => score.participantId);
}

/** Everyone with at least three known answers who got `share` or more of them right. */
export function knownRightAtLeast(scores: ParticipantScore[], share: number): string[] {
  return scores
    .filter((score) => score.known >= 3 && score.knownRight >= share * score.known)
    .map((score) => score.participantId);
}

function ScoreRow({
  score,
  known,
  checks,
  chosen,
  onToggle,
  review,
}: {
  score: ParticipantScore;
  known: boolean;
  /** The study had attention checks: say how many this person passed. */
  checks: boolean;
  chosen: boolean;
  onToggle: () => void;
  review: ReactNode;
}) {
  const { t } = useTranslation("results");
  return (
    <Table.Tr data-testid="scorecard-row" data-participant={score.participantId}>
      <Table.Td>
        <Checkbox checked={chosen} onChange={onToggle} aria-label={t("scorecard.chooseNamed", { id: score.participantId })} />
      </Table.Td>
      <Table.Td ff="monospace" fz="xs">
        {score.participantId}
      </Table.Td>
      <Table.Td ta="right">{formatNumber(score.items)}</Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        {score.compared > 0 ? t("partOf", { part: score.agreed, whole: score.compared }) : "–"}
      </Table.Td>
      {known && (
        <Table.Td ta="right" data-testid="scorecard-known">
          {score.known > 0 ? t("partOf", { part: score.knownRight, whole: score.known }) : "–"}
        </Table.Td>
      )}
      {checks && (
        <Table.Td ta="right" data-testid="scorecard-checks" c={score.checksFailed > 0 ? "red" : undefined}>
          {score.checks > 0 ? t("partOf", { part: score.checks - score.checksFailed, whole: score.checks }) : "–"}
        </Table.Td>
      )}
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        {score.seconds !== null && score.seconds !== undefined ? formatDuration(score.seconds) : "–"}
        {score.speed !== null && score.speed !== undefined && (
          <Text span size="xs" c="dimmed">
            {" "}
            {t("scorecard.speed", { share: formatPercent(score.speed) })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {score.flags.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("scorecard.nothing")}
          </Text>
        ) : (
          <List spacing={4} size="sm" listStyleType="none" data-testid="scorecard-flags">
            {score.flags.map((flag) => (
              <List.Item key={flag.kind}>
                <Badge variant="light" color="orange" size="sm" mr={6}>
                  {flagWords(flag.kind)}
                </Badge>
                <Text span size="sm">
                  {flag.evidence}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Table.Td>
      <Table.Td>{review}</Table.Td>
    </Table.Tr>
  );
}

