import { Radio, Stack, Text } from "@mantine/core";

import { useTranslation } from "../i18n";
import { NumberField } from "../task/NumberField";
import { narrow } from "./labels";

export type MaxTimeFieldProps = {
  /** Null means Batchdesk's default. */
  value: number | null;
  onChange: (value: number | null) => void;
  estimatedMinutes: number;
  defaultMaxMinutes: number;
  minimumMaxMinutes: number;
  /** Issues from Rust about the maximum time. */
  issues: string[];
};

/**
 * The longest one assignment may take before it times out: Batchdesk's default, or a
 * number of the researcher's own. Prolific refuses a maximum below its minimum, so the
 * minimum is stated up front and a lower number is marked at once, before Rust answers.
 */
export function MaxTimeField({
  value,
  onChange,
  estimatedMinutes,
  defaultMaxMinutes,
  minimumMaxMinutes,
  issues,
}: MaxTimeFieldProps) {
  const { t } = useTranslation("study");
  const tooShort =
    value !== null && value < minimumMaxMinutes
      ? t("maxTime.tooShort", { minimum: minimumMaxMinutes, estimated: estimatedMinutes })
      : null;
  const errors = issues.length > 0 ? issues : tooShort ? [tooShort] : [];
  return (
    <Stack gap={6}>
      <Radio.Group
        label={t("maxTime.label")}
        description={t("maxTime.description", { minimum: minimumMaxMinutes, estimated: estimatedMinutes })}
        value={value === null ? "default" : "own"}
        onChange={(choice) => onChange(choice === "default" ? null : Math.max(defaultMaxMinutes, minimumMaxMinutes))}
      >
        <Stack gap={6} mt={6}>
          <Radio value="default" label={t("maxTime.useDefault", { minutes: defaultMaxMinutes })} />
          <Radio value="own" label={t("maxTime.own")} />
        </Stack>
      </Radio.Group>
      {value !== null && (
        <NumberField
          label={t("maxTime.inMinutes")}
          value={value}
          onChange={(next) => {
            if (next !== null && Number.isInteger(next) && next >= 1) onChange(next);
          }}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          suffix={t("minutesSuffix")}
          error={errors.length > 0 ? errors.join(" ") : undefined}
          styles={narrow}
          data-testid="max-minutes"
        />
      )}
      {value === null && errors.length > 0 && (
        <Text size="sm" c="red" role="alert">
          {errors.join(" ")}
        </Text>
      )}
    </Stack>
  );
}
