import { Badge, Button, Group, List, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";

import type { PersonOutcome, PersonReviewed, RejectReason, ReviewDecision, StudyScorecard } from "../backend";
import { say, t as translate, useTranslation } from "../i18n";
import { useReviewParticipants } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { noReturnReasons, reasonsReady, reasonsToSend, ReturnExplained, ReturnReasonsField } from "./ReturnReasons";
import { MIN_MESSAGE, rejectReasons, stateWords } from "./ReviewControls";

type Action = "approve" | "reject" | "return";

/** How many people names are listed in the question before "and N more". */
const NAMED = 8;

/**
 * The message a rejection of several people starts from, per reason: the same words go
 * to each, so they name no one's evidence. The researcher reads and may change it.
 */
export function groupRejectionDraft(reason: RejectReason): string {
  return translate(`results:review.group.drafts.${reason}`);
}

/** The reason most of the chosen people's drafted rejections give (low effort if none). */
export function commonReason(card: StudyScorecard, chosen: string[]): RejectReason {
  const counts = new Map<RejectReason, number>();
  for (const score of card.participants) {
    const reason = score.draftRejection?.reason;
    if (reason && chosen.includes(score.participantId)) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  let best: RejectReason = "lowEffort";
  let most = 0;
  for (const [reason, count] of counts) {
    if (count > most) [best, most] = [reason, count];
  }
  return best;
}

function people(count: number) {
  return translate("results:count.people", { count });
}

function title(action: Action, who: string): string {
  return translate(`results:review.group.titles.${action}`, { who });
}

/**
 * The people chosen in the scorecard reviewed at once: approve, reject (one reason and
 * one message for all) or ask to return. One question names how many and who; each
 * person is then reviewed in turn, and each one's outcome shown. Anyone already as
 * decided is left as they are; a refusal for one does not stop the others.
 */
export function ReviewChosen({
  studyId,
  version,
  card,
  chosen,
  onDone,
}: {
  studyId: string;
  version: string;
  card: StudyScorecard;
  chosen: string[];
  /** After the outcomes are read: the people not done, to keep chosen for another try. */
  onDone: (notDone: string[]) => void;
}) {
  const { t } = useTranslation("results");
  const review = useReviewParticipants(studyId, version);
  const [action, setAction] = useState<Action | null>(null);
  // The dialog keeps its title while it closes (an untitled dialog has no name).
  const [titled, setTitled] = useState<Action>("approve");
  const [reason, setReason] = useState<RejectReason>("lowEffort");
  const [message, setMessage] = useState(() => groupRejectionDraft("lowEffort"));
  const [returnReasons, setReturnReasons] = useState(noReturnReasons);
  if (chosen.length === 0) return null;

  const open = (next: Action) => {
    review.reset();
    if (next === "reject") {
      const common = commonReason(card, chosen);
      setReason(common);
      setMessage(groupRejectionDraft(common));
    }
    if (next === "return") setReturnReasons(noReturnReasons);
    setAction(next);
    setTitled(next);
  };
  const close = () => {
    const outcomes = review.data?.people;
    setAction(null);
    if (outcomes) {
      onDone(outcomes.filter((person) => person.outcome.kind === "refused").map((person) => person.participantId));
    }
    review.reset();
  };
  const chooseReason = (next: RejectReason) => {
    // A message still as drafted follows the reason; one the researcher wrote stays.
    if (message === groupRejectionDraft(reason)) setMessage(groupRejectionDraft(next));
    setReason(next);
  };
  const send = (decision: ReviewDecision) => review.mutate({ participantIds: chosen, decision });
  const length = message.trim().length;
  const who = people(chosen.length);
  const notWaiting = chosen.filter((id) => card.states[id] !== undefined && card.states[id] !== "awaitingReview");

  return (
    <>
      <Group gap="xs" data-testid="review-chosen" role="group" aria-label={t("review.group.region")}>
        <Text size="sm" fw={500}>
          {t("review.group.chosen", { who })}
        </Text>
        <Button size="xs" variant="light" color="teal" onClick={() => open("approve")} data-testid="review-chosen-approve">
          {t("review.group.approve")}
        </Button>
        <Button size="xs" variant="light" color="red" onClick={() => open("reject")} data-testid="review-chosen-reject">
          {t("review.reject")}
        </Button>
        <Button size="xs" variant="light" color="grape" onClick={() => open("return")} data-testid="review-chosen-return">
          {t("review.askToReturn")}
        </Button>
      </Group>
      <Modal
        opened={action !== null}
        onClose={close}
        title={title(action ?? titled, who)}
        size="lg"
        data-testid="review-chosen-dialog"
      >
        {review.data ? (
          <Outcomes people={review.data.people} onClose={close} />
        ) : (
          <Stack gap="md">
            <Chosen ids={chosen} />
            {notWaiting.length > 0 && (
              <Text size="sm" c="dimmed" data-testid="review-chosen-not-waiting">
                {t("review.group.notWaiting", { count: notWaiting.length })}
              </Text>
            )}
            {action === "approve" && (
              <Text size="sm">
                {t("review.group.approveBody")}
              </Text>
            )}
            {action === "reject" && (
              <>
                <Text size="sm">
                  {t("review.group.rejectBody")}
                </Text>
                <Select
                  label={t("review.reason")}
                  data={rejectReasons()}
                  value={reason}
                  onChange={(value) => value && chooseReason(value)}
                  allowDeselect={false}
                />
                <Textarea
                  label={t("review.group.message.label")}
                  description={t("review.group.message.description")}
                  autosize
                  minRows={4}
                  value={message}
                  onChange={(event) => setMessage(event.currentTarget.value)}
                  error={length < MIN_MESSAGE ? t("review.tooShort", { length, count: MIN_MESSAGE }) : undefined}
                />
              </>
            )}
            {action === "return" && (
              <>
                <ReturnExplained who={chosen.length === 1 ? t("review.group.them") : t("review.group.eachOfThem")} />
                <ReturnReasonsField value={returnReasons} onChange={setReturnReasons} />
              </>
            )}
            {review.isError && <ErrorNotice title={t("review.group.failed")} error={review.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t("review.notYet")}
              </Button>
              {action === "approve" && (
                <Button color="teal" loading={review.isPending} onClick={() => send({ decision: "approve" })}>
                  {t("review.group.approveNow", { who })}
                </Button>
              )}
              {action === "reject" && (
                <Button
                  color="red"
                  loading={review.isPending}
                  disabled={length < MIN_MESSAGE}
                  onClick={() => send({ decision: "reject", reason, message })}
                >
                  {t("review.group.rejectNow", { who })}
                </Button>
              )}
              {action === "return" && (
                <Button
                  color="grape"
                  loading={review.isPending}
                  disabled={!reasonsReady(returnReasons)}
                  onClick={() => send({ decision: "askToReturn", reasons: reasonsToSend(returnReasons) })}
                  data-testid="review-chosen-send-return"
                >
                  {t("review.group.returnNow", { who })}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

/** Who is chosen: the first few by id, then how many more. */
function Chosen({ ids }: { ids: string[] }) {
  const { t } = useTranslation("results");
  const more = ids.length - NAMED;
  return (
    <Text size="sm" data-testid="review-chosen-who">
      <Text span ff="monospace" fz="xs">
        {ids.slice(0, NAMED).join(t("listSeparator"))}
      </Text>
      {more > 0 && ` ${t("review.group.andMore", { count: more })}`}
    </Text>
  );
}

const outcomeColors: Record<PersonOutcome["kind"], string> = { done: "teal", already: "gray", refused: "red" };

/** Each person's outcome, with a count of each kind first. */
function Outcomes({ people: reviewed, onClose }: { people: PersonReviewed[]; onClose: () => void }) {
  const { t } = useTranslation("results");
  const count = (kind: PersonOutcome["kind"]) => reviewed.filter((person) => person.outcome.kind === kind).length;
  const refused = count("refused");
  return (
    <Stack gap="md" data-testid="review-chosen-outcomes">
      <Text size="sm" data-testid="review-chosen-summary">
        {t("review.group.outcomes.summary", {
          done: people(count("done")),
          already: people(count("already")),
          refused: refused === 0 ? t("review.group.outcomes.nobody") : people(refused),
        })}
        {refused > 0 ? ` ${t("review.group.outcomes.tryAgain")}` : ""}
      </Text>
      <List spacing={6} size="sm" listStyleType="none">
        {reviewed.map((person) => (
          <List.Item key={person.participantId} data-testid="review-chosen-outcome" data-participant={person.participantId}>
            <Badge variant="light" color={outcomeColors[person.outcome.kind]} size="sm" mr={6}>
              {t(`review.group.outcomes.kinds.${person.outcome.kind}`)}
            </Badge>
            <Text span ff="monospace" fz="xs" mr={6}>
              {person.participantId}
            </Text>
            <Text span size="sm">
              {person.outcome.kind === "refused"
                ? say(person.outcome.reason)
                : person.outcome.state === "awaitingReview"
                  ? t("review.states.awaitingReview")
                  : stateWords(person.outcome.state).label}
            </Text>
          </List.Item>
        ))}
      </List>
      <Group justify="flex-end">
        <Button onClick={onClose} data-autofocus>
          {t("review.group.close")}
        </Button>
      </Group>
    </Stack>
  );
}
