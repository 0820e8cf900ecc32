import { Radio, Stack, Text } from "@mantine/core";

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
  const tooShort =
    value !== null && value < minimumMaxMinutes
      ? `Make it at least ${minimumMaxMinutes} minutes: Prolific does not allow less for a ${estimatedMinutes}-minute assignment.`
      : null;
  const errors = issues.length > 0 ? issues : tooShort ? [tooShort] : [];
  return (
    <Stack gap={6}>
      <Radio.Group
        label="Maximum time"
        description={`Someone who takes longer than this times out, and their place opens for someone else. Prolific's minimum for a ${estimatedMinutes}-minute assignment is ${minimumMaxMinutes} minutes.`}
        value={value === null ? "default" : "own"}
        onChange={(choice) => onChange(choice === "default" ? null : Math.max(defaultMaxMinutes, minimumMaxMinutes))}
      >
        <Stack gap={6} mt={6}>
          <Radio value="default" label={`Use the default (${defaultMaxMinutes} min)`} />
          <Radio value="own" label="Set my own" />
        </Stack>
      </Radio.Group>
      {value !== null && (
        <NumberField
          label="Maximum time in minutes"
          value={value}
          onChange={(next) => {
            if (next !== null && Number.isInteger(next) && next >= 1) onChange(next);
          }}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          suffix=" min"
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
