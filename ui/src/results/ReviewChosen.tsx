import { Badge, Button, Group, List, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";

import type { PersonOutcome, PersonReviewed, RejectReason, ReviewDecision, Scorecard } from "../backend";
import { useReviewParticipants } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { num } from "./format";
import { noReturnReasons, reasonsReady, reasonsToSend, ReturnExplained, ReturnReasonsField } from "./ReturnReasons";
import { MIN_MESSAGE, rejectReasons, stateWords } from "./ReviewControls";

type Action = "approve" | "reject" | "return";

/** How many people names are listed in the question before "and N more". */
const NAMED = 8;

/**
 * The message a rejection of several people starts from, per reason: the same words go
 * to each, so they name no one's evidence. The researcher reads and may change it.
 */
export const groupRejectionDrafts: Record<RejectReason, string> = {
  tooQuickly:
    "Thank you for taking part. We are sorry, but we cannot approve this submission: it was completed much faster than the task can be done with care. If you think we have made a mistake, please message us and we will look at it again.",
  lowEffort:
    "Thank you for taking part. We are sorry, but we cannot approve this submission: many answers show too little attention to the items they were about. If you think we have made a mistake, please message us and we will look at it again.",
  failedInstructions:
    "Thank you for taking part. We are sorry, but we cannot approve this submission: the answers do not follow the instructions of the task. If you think we have made a mistake, please message us and we will look at it again.",
  failedCheck:
    "Thank you for taking part. We are sorry, but we cannot approve this submission: it did not pass the attention checks in the task. If you think we have made a mistake, please message us and we will look at it again.",
  other:
    "Thank you for taking part. We are sorry, but we cannot approve this submission. If you think we have made a mistake, please message us and we will look at it again.",
};

/** The reason most of the chosen people's drafted rejections give (low effort if none). */
export function commonReason(card: Scorecard, chosen: string[]): RejectReason {
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
  return count === 1 ? "1 person" : `${num(count)} people`;
}

const titles: Record<Action, (who: string) => string> = {
  approve: (who) => `Approve ${who}?`,
  reject: (who) => `Reject ${who}?`,
  return: (who) => `Ask ${who} to return their submission?`,
};

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
  card: Scorecard;
  chosen: string[];
  /** After the outcomes are read: the people not done, to keep chosen for another try. */
  onDone: (notDone: string[]) => void;
}) {
  const review = useReviewParticipants(studyId, version);
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState<RejectReason>("lowEffort");
  const [message, setMessage] = useState(groupRejectionDrafts.lowEffort);
  const [returnReasons, setReturnReasons] = useState(noReturnReasons);
  if (chosen.length === 0) return null;

  const open = (next: Action) => {
    review.reset();
    if (next === "reject") {
      const common = commonReason(card, chosen);
      setReason(common);
      setMessage(groupRejectionDrafts[common]);
    }
    if (next === "return") setReturnReasons(noReturnReasons);
    setAction(next);
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
    if (message === groupRejectionDrafts[reason]) setMessage(groupRejectionDrafts[next]);
    setReason(next);
  };
  const send = (decision: ReviewDecision) => review.mutate({ participantIds: chosen, decision });
  const length = message.trim().length;
  const who = people(chosen.length);
  const notWaiting = chosen.filter((id) => card.states[id] !== undefined && card.states[id] !== "awaitingReview");

  return (
    <>
      <Group gap="xs" data-testid="review-chosen" role="group" aria-label="Review the people chosen">
        <Text size="sm" fw={500}>
          {who} chosen:
        </Text>
        <Button size="xs" variant="light" color="teal" onClick={() => open("approve")}>
          Approve…
        </Button>
        <Button size="xs" variant="light" color="red" onClick={() => open("reject")}>
          Reject…
        </Button>
        <Button size="xs" variant="light" color="grape" onClick={() => open("return")}>
          Ask to return…
        </Button>
      </Group>
      <Modal
        opened={action !== null}
        onClose={close}
        title={action ? titles[action](who) : ""}
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
                {notWaiting.length === 1 ? "1 of them is" : `${num(notWaiting.length)} of them are`} not awaiting
                review as last seen here. Anyone already as you decide is left as they are; anyone who cannot be is
                named with the reason, and the others go ahead.
              </Text>
            )}
            {action === "approve" && (
              <Text size="sm">
                Each is paid their reward from the money set aside when the study was published. This cannot be undone.
              </Text>
            )}
            {action === "reject" && (
              <>
                <Text size="sm">
                  None of them is paid, and Prolific shows each of them the same reason and message. Reject only with
                  evidence: Prolific protects participants from unfair rejections, and they can ask you to look again.
                </Text>
                <Select
                  label="Reason"
                  data={rejectReasons}
                  value={reason}
                  onChange={(value) => value && chooseReason(value)}
                  allowDeselect={false}
                />
                <Textarea
                  label="Message to each of them"
                  description="The same words go to everyone chosen, so they name no one's evidence. Read it, and change what you would say differently."
                  autosize
                  minRows={4}
                  value={message}
                  onChange={(event) => setMessage(event.currentTarget.value)}
                  error={length < MIN_MESSAGE ? `${length} of at least ${MIN_MESSAGE} characters` : undefined}
                />
              </>
            )}
            {action === "return" && (
              <>
                <ReturnExplained who={chosen.length === 1 ? "them" : "each of them"} />
                <ReturnReasonsField value={returnReasons} onChange={setReturnReasons} />
              </>
            )}
            {review.isError && <ErrorNotice title="Nobody was reviewed" error={review.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Not yet
              </Button>
              {action === "approve" && (
                <Button color="teal" loading={review.isPending} onClick={() => send({ decision: "approve" })}>
                  Approve {who}
                </Button>
              )}
              {action === "reject" && (
                <Button
                  color="red"
                  loading={review.isPending}
                  disabled={length < MIN_MESSAGE}
                  onClick={() => send({ decision: "reject", reason, message })}
                >
                  Reject {who}
                </Button>
              )}
              {action === "return" && (
                <Button
                  color="grape"
                  loading={review.isPending}
                  disabled={!reasonsReady(returnReasons)}
                  onClick={() => send({ decision: "askToReturn", reasons: reasonsToSend(returnReasons) })}
                >
                  Ask {who} to return
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
  const more = ids.length - NAMED;
  return (
    <Text size="sm" data-testid="review-chosen-who">
      <Text span ff="monospace" fz="xs">
        {ids.slice(0, NAMED).join(", ")}
      </Text>
      {more > 0 && ` and ${num(more)} more`}
    </Text>
  );
}

const outcomeWords: Record<PersonOutcome["kind"], { label: string; color: string }> = {
  done: { label: "Done", color: "teal" },
  already: { label: "Already so", color: "gray" },
  refused: { label: "Not done", color: "red" },
};

/** Each person's outcome, with a count of each kind first. */
function Outcomes({ people: reviewed, onClose }: { people: PersonReviewed[]; onClose: () => void }) {
  const count = (kind: PersonOutcome["kind"]) => reviewed.filter((person) => person.outcome.kind === kind).length;
  const refused = count("refused");
  return (
    <Stack gap="md" data-testid="review-chosen-outcomes">
      <Text size="sm" data-testid="review-chosen-summary">
        Done for {people(count("done"))}; {people(count("already"))} already so; {refused === 0 ? "nobody" : people(refused)}{" "}
        not done.{refused > 0 ? " Those not done stay chosen, to try again once the reason is dealt with." : ""}
      </Text>
      <List spacing={6} size="sm" listStyleType="none">
        {reviewed.map((person) => (
          <List.Item key={person.participantId} data-testid="review-chosen-outcome" data-participant={person.participantId}>
            <Badge variant="light" color={outcomeWords[person.outcome.kind].color} size="sm" mr={6}>
              {outcomeWords[person.outcome.kind].label}
            </Badge>
            <Text span ff="monospace" fz="xs" mr={6}>
              {person.participantId}
            </Text>
            <Text span size="sm">
              {person.outcome.kind === "refused"
                ? person.outcome.reason
                : person.outcome.state === "awaitingReview"
                  ? "Awaiting review"
                  : stateWords[person.outcome.state].label}
            </Text>
          </List.Item>
        ))}
      </List>
      <Group justify="flex-end">
        <Button onClick={onClose} data-autofocus>
          Close
        </Button>
      </Group>
    </Stack>
  );
}
