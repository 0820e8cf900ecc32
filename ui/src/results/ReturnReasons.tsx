import { Checkbox, Stack, Text, TextInput } from "@mantine/core";

/**
 * Reasons offered for asking a participant to return their submission. Prolific writes
 * the message to the participant from the ones sent, so each is a short phrase.
 */
export const returnReasonOptions = [
  "The task was not finished",
  "Ran into technical problems",
  "No longer consents to take part",
] as const;

/** The reasons chosen in the form: offered ones, and one in the researcher's words. */
export type ReturnReasons = { chosen: string[]; other: boolean; otherText: string };

export const noReturnReasons: ReturnReasons = { chosen: [], other: false, otherText: "" };

/** The reasons to send: those ticked, then the researcher's own (when written). */
export function reasonsToSend(reasons: ReturnReasons): string[] {
  const own = reasons.otherText.trim();
  return [
    ...returnReasonOptions.filter((option) => reasons.chosen.includes(option)),
    ...(reasons.other && own ? [own] : []),
  ];
}

/** Whether the form can be sent: a reason at least, and no "another reason" left blank. */
export function reasonsReady(reasons: ReturnReasons): boolean {
  return reasonsToSend(reasons).length > 0 && !(reasons.other && reasons.otherText.trim() === "");
}

/** What happens when someone is asked to return a submission, in plain words. */
export function ReturnExplained({ who }: { who: string }) {
  return (
    <Text size="sm">
      Prolific asks {who} to return the submission, in a message it writes from the reasons you choose. Whoever returns
      it is not paid for it, and their place opens again for someone else. Nobody is made to return it: until they do, the
      submission stays as it is.
    </Text>
  );
}

/** The reasons for asking: the usual ones to tick, and another in the researcher's words. */
export function ReturnReasonsField({
  value,
  onChange,
}: {
  value: ReturnReasons;
  onChange: (next: ReturnReasons) => void;
}) {
  const blankOther = value.other && value.otherText.trim() === "";
  return (
    <Stack gap="xs">
      <Checkbox.Group
        label="Why are you asking?"
        description="Choose at least one."
        value={value.chosen}
        onChange={(chosen) => onChange({ ...value, chosen })}
      >
        <Stack gap={6} mt={6}>
          {returnReasonOptions.map((option) => (
            <Checkbox key={option} value={option} label={option} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Checkbox
        label="Another reason"
        checked={value.other}
        onChange={(event) => onChange({ ...value, other: event.currentTarget.checked })}
      />
      {value.other && (
        <TextInput
          label="The other reason"
          description="A short phrase; Prolific puts it in its message."
          value={value.otherText}
          onChange={(event) => onChange({ ...value, otherText: event.currentTarget.value })}
          error={blankOther ? "Write the reason, or untick “Another reason”." : undefined}
          maxLength={200}
          data-autofocus
        />
      )}
    </Stack>
  );
}
