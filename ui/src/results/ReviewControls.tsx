import { Badge, Button, Group, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";

import type { DraftRejection, RejectReason, ReviewState } from "../backend";
import { useReviewParticipant } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { noReturnReasons, reasonsReady, reasonsToSend, ReturnExplained, ReturnReasonsField } from "./ReturnReasons";

/** Prolific's minimum length for a rejection message. */
export const MIN_MESSAGE = 100;

export const rejectReasons: { value: RejectReason; label: string }[] = [
  { value: "tooQuickly", label: "Too quick to have done the task" },
  { value: "lowEffort", label: "Very low effort" },
  { value: "failedInstructions", label: "Did not follow the instructions" },
  { value: "failedCheck", label: "Failed attention checks" },
  { value: "other", label: "Another reason" },
];

export const stateWords: Record<Exclude<ReviewState, "awaitingReview">, { label: string; color: string }> = {
  approved: { label: "Approved", color: "teal" },
  rejected: { label: "Rejected", color: "red" },
  returnRequested: { label: "Asked to return", color: "grape" },
  returned: { label: "Returned", color: "gray" },
  other: { label: "Not for review", color: "gray" },
};

/**
 * Approve, reject or ask to return one participant's submission: each asks first; a
 * rejection with a reason and a message to the participant (drafted from the evidence,
 * at least 100 characters, as Prolific asks), which the researcher reads and may change;
 * a request to return with the reasons Prolific writes its message from.
 */
export function ReviewControls({
  studyId,
  version,
  participantId,
  state,
  draft,
}: {
  studyId: string;
  version: string;
  participantId: string;
  state: ReviewState | undefined;
  draft: DraftRejection | null;
}) {
  const review = useReviewParticipant(studyId, version);
  const [asking, setAsking] = useState<"approve" | "reject" | "return" | null>(null);
  const [reason, setReason] = useState<RejectReason>(draft?.reason ?? "lowEffort");
  const [message, setMessage] = useState(draft?.message ?? "");
  const [returnReasons, setReturnReasons] = useState(noReturnReasons);
  if (state === undefined) return null;
  if (state !== "awaitingReview") {
    const words = stateWords[state];
    return (
      <Badge variant="light" color={words.color} data-testid="review-state">
        {words.label}
      </Badge>
    );
  }
  const length = message.trim().length;
  const close = () => {
    setAsking(null);
    review.reset();
  };
  const send = (decision: Parameters<typeof review.mutate>[0]["decision"]) =>
    review.mutate({ participantId, decision }, { onSuccess: () => setAsking(null) });
  return (
    <>
      <Group gap={6} wrap="nowrap">
        <Button size="compact-xs" variant="light" color="teal" onClick={() => setAsking("approve")} data-testid="review-approve">
          Approve
        </Button>
        <Button size="compact-xs" variant="light" color="red" onClick={() => setAsking("reject")} data-testid="review-reject">
          Reject…
        </Button>
        <Button size="compact-xs" variant="light" color="grape" onClick={() => setAsking("return")} data-testid="review-return">
          Ask to return…
        </Button>
      </Group>
      <Modal opened={asking === "approve"} onClose={close} title="Approve this submission?" data-testid="approve-one">
        <Stack gap="md">
          <Text size="sm">
            {participantId} is paid their reward from the money set aside when the study was published. This cannot be
            undone.
          </Text>
          {review.isError && <ErrorNotice title="The submission could not be approved" error={review.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Not yet
            </Button>
            <Button color="teal" loading={review.isPending} onClick={() => send({ decision: "approve" })} data-testid="approve-one-now">
              Approve
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={asking === "reject"} onClose={close} title="Reject this submission?" size="lg" data-testid="reject-one">
        <Stack gap="md">
          <Text size="sm">
            {participantId} is not paid, and Prolific shows them your reason and message. Reject only with evidence:
            Prolific protects participants from unfair rejections, and they can ask you to look again.
          </Text>
          <Select
            label="Reason"
            data={rejectReasons}
            value={reason}
            onChange={(value) => value && setReason(value)}
            allowDeselect={false}
            data-testid="reject-reason"
          />
          <Textarea
            label="Message to the participant"
            description={draft ? "Drafted from the evidence above: read it, and change what you would say differently." : undefined}
            autosize
            minRows={5}
            value={message}
            onChange={(event) => setMessage(event.currentTarget.value)}
            error={length < MIN_MESSAGE ? `${length} of at least ${MIN_MESSAGE} characters` : undefined}
            data-testid="reject-message"
          />
          {review.isError && <ErrorNotice title="The submission could not be rejected" error={review.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Not yet
            </Button>
            <Button
              color="red"
              loading={review.isPending}
              disabled={length < MIN_MESSAGE}
              onClick={() => send({ decision: "reject", reason, message })}
              data-testid="reject-one-now"
            >
              Reject and send the message
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={asking === "return"}
        onClose={close}
        title="Ask them to return this submission?"
        data-testid="return-one"
      >
        <Stack gap="md">
          <ReturnExplained who={participantId} />
          <ReturnReasonsField value={returnReasons} onChange={setReturnReasons} />
          {review.isError && <ErrorNotice title="They could not be asked to return it" error={review.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Not yet
            </Button>
            <Button
              color="grape"
              loading={review.isPending}
              disabled={!reasonsReady(returnReasons)}
              onClick={() => send({ decision: "askToReturn", reasons: reasonsToSend(returnReasons) })}
              data-testid="return-one-now"
            >
              Ask to return
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
