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

import type { FlagKind, ParticipantScore, ResultsSummary, Scorecard } from "../backend";
import { useSetKnownAnswers, useStudyScorecard } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { isChoice, num, percent } from "./format";
import { BonusesPanel } from "./BonusesPanel";
import { MessagePeople } from "./MessagePeople";
import { RememberPeople } from "./RememberPeople";
import { ReviewChosen } from "./ReviewChosen";
import { ReviewControls } from "./ReviewControls";

const flagWords: Record<FlagKind, string> = {
  tooFast: "Too fast",
  lowAgreement: "Rarely agrees",
  sameAnswerToEverything: "Same answer to everything",
  copiedText: "Copied text",
  veryShortText: "Very short text",
  wrongKnownAnswers: "Wrong on known answers",
  failedChecks: "Failed attention checks",
};

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
  const card = useStudyScorecard(studyId, version);
  return (
    <Stack gap="sm" component="section" aria-labelledby="scorecard-title" data-testid="scorecard">
      <Title order={4} id="scorecard-title">
        Participants
      </Title>
      {card.isPending && <Loader size="sm" aria-label="Scoring the participants" />}
      {card.isError && <ErrorNotice title="The participants could not be scored" error={card.error} />}
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
  card: Scorecard;
}) {
  const choose = useSetKnownAnswers(studyId, version);
  const hidden = summary.dataColumns.filter((_, index) => !summary.shownColumns.includes(index));
  const questions = summary.questions.filter((question) => isChoice(question.kind));
  const chosen = card.knownAnswers;
  if (hidden.length === 0 || questions.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="known-answers-none">
        Know the right answer for some rows? Put it in a column whose name starts with META_ (participants never see
        those) and each person&apos;s accuracy on those rows shows here.
      </Text>
    );
  }
  const question = chosen?.questionId ?? (questions.length === 1 ? questions[0]!.id : null);
  return (
    <Stack gap={4}>
      <Group gap="sm" align="flex-end">
        <Select
          label="Column with the right answers"
          description="Hidden from participants; one option per row, empty where not known."
          placeholder="None"
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
            label="For the question"
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
          People typically get {percent(card.typicalKnownRight)} of the known answers right.
        </Text>
      )}
      {choose.isError && <ErrorNotice title="The known answers could not be used" error={choose.error} />}
    </Stack>
  );
}

function ScorecardBody({ card, studyId, version }: { card: Scorecard; studyId: string; version: string }) {
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
          ? `People in this study choose what most others chose ${percent(card.typicalAgreement)} of the time. `
          : ""}
        {card.medianSeconds ? `The median time is ${duration(card.medianSeconds)}. ` : ""}
        These are suggestions with their evidence: look at the answers before you reject anyone.
      </Text>
      {flagged.length === 0 ? (
        <Alert variant="light" color="teal" icon={<IconUserSearch aria-hidden />} data-testid="scorecard-clear">
          Nothing to note: nobody was much faster than the others, rarely agreed with them, gave the same answer to
          everything or copied their written answers.
        </Alert>
      ) : (
        <Text size="sm" data-testid="scorecard-summary">
          {flagged.length === 1 ? "1 person has" : `${num(flagged.length)} people have`} something to look
          at{others > 0 ? `; ${num(others)} ${others === 1 ? "has" : "have"} nothing to note` : ""}.
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
              Choose everyone to look at
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
              Choose the 3 most reliable
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
              Choose who got 80% of known answers right
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
              Choose who failed 2 or more checks
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
            Choose everyone
          </Button>
          {chosen.length > 0 && (
            <Button variant="subtle" size="xs" color="gray" onClick={() => setChosen([])} data-testid="choose-none">
              Choose nobody
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
                  <VisuallyHidden>Chosen</VisuallyHidden>
                </Table.Th>
                <Table.Th>Participant</Table.Th>
                <Table.Th ta="right">Items</Table.Th>
                <Table.Th ta="right">Agrees with others</Table.Th>
                {card.knownAnswers && <Table.Th ta="right">Known answers right</Table.Th>}
                {withChecks && <Table.Th ta="right">Checks passed</Table.Th>}
                <Table.Th ta="right">Time</Table.Th>
                <Table.Th miw={300}>To look at</Table.Th>
                <Table.Th miw={150}>Review</Table.Th>
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
            {everyone ? "Show only those to look at" : `Show everyone (${num(card.participants.length)})`}
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
  return (
    <Table.Tr data-testid="scorecard-row" data-participant={score.participantId}>
      <Table.Td>
        <Checkbox checked={chosen} onChange={onToggle} aria-label={`Choose ${score.participantId}`} />
      </Table.Td>
      <Table.Td ff="monospace" fz="xs">
        {score.participantId}
      </Table.Td>
      <Table.Td ta="right">{num(score.items)}</Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        {score.compared > 0 ? `${num(score.agreed)} of ${num(score.compared)}` : "–"}
      </Table.Td>
      {known && (
        <Table.Td ta="right" data-testid="scorecard-known">
          {score.known > 0 ? `${num(score.knownRight)} of ${num(score.known)}` : "–"}
        </Table.Td>
      )}
      {checks && (
        <Table.Td ta="right" data-testid="scorecard-checks" c={score.checksFailed > 0 ? "red" : undefined}>
          {score.checks > 0 ? `${num(score.checks - score.checksFailed)} of ${num(score.checks)}` : "–"}
        </Table.Td>
      )}
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        {score.seconds !== null && score.seconds !== undefined ? duration(score.seconds) : "–"}
        {score.speed !== null && score.speed !== undefined && (
          <Text span size="xs" c="dimmed">
            {" "}
            ({percent(score.speed)})
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {score.flags.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing
          </Text>
        ) : (
          <List spacing={4} size="sm" listStyleType="none" data-testid="scorecard-flags">
            {score.flags.map((flag) => (
              <List.Item key={flag.kind}>
                <Badge variant="light" color="orange" size="sm" mr={6}>
                  {flagWords[flag.kind]}
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

function duration(seconds: number) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
