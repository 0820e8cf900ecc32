import { Badge, Button, Group, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";

import type { DraftRejection, RejectReason, ReviewState } from "../backend";
import { t as translate, useTranslation } from "../i18n";
import { useReviewParticipant } from "../queries";
import { ErrorNotice } from "../shell/ErrorNotice";
import { noReturnReasons, reasonsReady, reasonsToSend, ReturnExplained, ReturnReasonsField } from "./ReturnReasons";

/** Prolific's minimum length for a rejection message. */
export const MIN_MESSAGE = 100;

const rejectReasonOrder: RejectReason[] = ["tooQuickly", "lowEffort", "failedInstructions", "failedCheck", "other"];

/** The reasons for a rejection, in the order offered, with their names. */
export function rejectReasons(): { value: RejectReason; label: string }[] {
  return rejectReasonOrder.map((value) => ({ value, label: translate(`results:review.rejectReasons.${value}`) }));
}

const stateColors: Record<Exclude<ReviewState, "awaitingReview">, string> = {
  approved: "teal",
  rejected: "red",
  returnRequested: "grape",
  returned: "gray",
  other: "gray",
};

/** A reviewed submission's state in a word, and its colour. */
export function stateWords(state: Exclude<ReviewState, "awaitingReview">): { label: string; color: string } {
  return { label: translate(`results:review.states.${state}`), color: stateColors[state] };
}

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
  const { t } = useTranslation("results");
  const review = useReviewParticipant(studyId, version);
  const [asking, setAsking] = useState<"approve" | "reject" | "return" | null>(null);
  const [reason, setReason] = useState<RejectReason>(draft?.reason ?? "lowEffort");
  const [message, setMessage] = useState(draft?.message ?? "");
  const [returnReasons, setReturnReasons] = useState(noReturnReasons);
  if (state === undefined) return null;
  if (state !== "awaitingReview") {
    const words = stateWords(state);
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
          {t("review.approve")}
        </Button>
        <Button size="compact-xs" variant="light" color="red" onClick={() => setAsking("reject")} data-testid="review-reject">
          {t("review.reject")}
        </Button>
        <Button size="compact-xs" variant="light" color="grape" onClick={() => setAsking("return")} data-testid="review-return">
          {t("review.askToReturn")}
        </Button>
      </Group>
      <Modal opened={asking === "approve"} onClose={close} title={t("review.one.approveTitle")} data-testid="approve-one">
        <Stack gap="md">
          <Text size="sm">
            {t("review.one.approveBody", { id: participantId })}
          </Text>
          {review.isError && <ErrorNotice title={t("review.one.approveFailed")} error={review.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("review.notYet")}
            </Button>
            <Button color="teal" loading={review.isPending} onClick={() => send({ decision: "approve" })} data-testid="approve-one-now">
              {t("review.approve")}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={asking === "reject"} onClose={close} title={t("review.one.rejectTitle")} size="lg" data-testid="reject-one">
        <Stack gap="md">
          <Text size="sm">
            {t("review.one.rejectBody", { id: participantId })}
          </Text>
          <Select
            label={t("review.reason")}
            data={rejectReasons()}
            value={reason}
            onChange={(value) => value && setReason(value)}
            allowDeselect={false}
            data-testid="reject-reason"
          />
          <Textarea
            label={t("review.one.message")}
            description={draft ? t("review.one.drafted") : undefined}
            autosize
            minRows={5}
            value={message}
            onChange={(event) => setMessage(event.currentTarget.value)}
            error={length < MIN_MESSAGE ? t("review.tooShort", { length, count: MIN_MESSAGE }) : undefined}
            data-testid="reject-message"
          />
          {review.isError && <ErrorNotice title={t("review.one.rejectFailed")} error={review.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("review.notYet")}
            </Button>
            <Button
              color="red"
              loading={review.isPending}
              disabled={length < MIN_MESSAGE}
              onClick={() => send({ decision: "reject", reason, message })}
              data-testid="reject-one-now"
            >
              {t("review.one.rejectNow")}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={asking === "return"}
        onClose={close}
        title={t("review.one.returnTitle")}
        data-testid="return-one"
      >
        <Stack gap="md">
          <ReturnExplained who={participantId} />
          <ReturnReasonsField value={returnReasons} onChange={setReturnReasons} />
          {review.isError && <ErrorNotice title={t("review.one.returnFailed")} error={review.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("review.notYet")}
            </Button>
            <Button
              color="grape"
              loading={review.isPending}
              disabled={!reasonsReady(returnReasons)}
              onClick={() => send({ decision: "askToReturn", reasons: reasonsToSend(returnReasons) })}
              data-testid="return-one-now"
            >
              {t("review.one.returnNow")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
