import { Checkbox, Stack, Text, TextInput } from "@mantine/core";

import { t as translate, useTranslation } from "../i18n";

/**
 * Reasons offered for asking a participant to return their submission. Prolific writes
 * the message to the participant from the ones sent, so each is a short phrase.
 */
export const returnReasonOptions = ["unfinished", "technical", "noConsent"] as const;

/** An offered reason as it is shown and sent (in the researcher's language). */
export function returnReasonText(option: (typeof returnReasonOptions)[number]): string {
  return translate(`results:returnReasons.options.${option}`);
}

/** The reasons chosen in the form: offered ones, and one in the researcher's words. */
export type ReturnReasons = { chosen: string[]; other: boolean; otherText: string };

export const noReturnReasons: ReturnReasons = { chosen: [], other: false, otherText: "" };

/** The reasons to send: those ticked, then the researcher's own (when written). */
export function reasonsToSend(reasons: ReturnReasons): string[] {
  const own = reasons.otherText.trim();
  return [
    ...returnReasonOptions.filter((option) => reasons.chosen.includes(option)).map(returnReasonText),
    ...(reasons.other && own ? [own] : []),
  ];
}

/** Whether the form can be sent: a reason at least, and no "another reason" left blank. */
export function reasonsReady(reasons: ReturnReasons): boolean {
  return reasonsToSend(reasons).length > 0 && !(reasons.other && reasons.otherText.trim() === "");
}

/** What happens when someone is asked to return a submission, in plain words. */
export function ReturnExplained({ who }: { who: string }) {
  const { t } = useTranslation("results");
  return (
    <Text size="sm">
      {t("returnReasons.explained", { who })}
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
  const { t } = useTranslation("results");
  const blankOther = value.other && value.otherText.trim() === "";
  return (
    <Stack gap="xs">
      <Checkbox.Group
        label={t("returnReasons.why")}
        description={t("returnReasons.atLeastOne")}
        value={value.chosen}
        onChange={(chosen) => onChange({ ...value, chosen })}
      >
        <Stack gap={6} mt={6}>
          {returnReasonOptions.map((option) => (
            <Checkbox key={option} value={option} label={returnReasonText(option)} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Checkbox
        label={t("returnReasons.another")}
        checked={value.other}
        onChange={(event) => onChange({ ...value, other: event.currentTarget.checked })}
      />
      {value.other && (
        <TextInput
          label={t("returnReasons.other.label")}
          description={t("returnReasons.other.description")}
          value={value.otherText}
          onChange={(event) => onChange({ ...value, otherText: event.currentTarget.value })}
          error={blankOther ? t("returnReasons.other.blank") : undefined}
          maxLength={200}
          data-autofocus
        />
      )}
    </Stack>
  );
}
