import { Group, Progress, Stack, Text } from "@mantine/core";

import { percentOf } from "../format";

export type MeterProps = {
  /** What is measured, e.g. "Places filled"; also the progress bar's accessible name. */
  label: string;
  value: number;
  max: number;
  /** The figures in words, e.g. "9 of 36". */
  detail: string;
  color?: string;
  "data-testid"?: string;
  /** Test id of the figures' text. */
  detailTestId?: string;
};

/** A labelled progress bar; its root carries `data-value`, the whole percent. */
export function Meter({ label, value, max, detail, color, "data-testid": testId, detailTestId }: MeterProps) {
  const pct = percentOf(value, max);
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="dimmed" data-testid={detailTestId}>
          {detail}
        </Text>
      </Group>
      <Progress.Root size="lg" data-testid={testId} data-value={pct}>
        <Progress.Section value={pct} color={color} aria-label={label} />
      </Progress.Root>
    </Stack>
  );
}
