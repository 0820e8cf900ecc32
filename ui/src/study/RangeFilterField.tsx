import { Fieldset, Group, Text } from "@mantine/core";

import { NumberField } from "../task/NumberField";
import type { AudienceFilter, FilterOption } from "./settings";

type RangeFilter = Extract<AudienceFilter, { kind: "range" }>;

export type RangeFilterFieldProps = {
  option: FilterOption;
  filter: RangeFilter | null;
  onChange: (filter: RangeFilter) => void;
  autoFocus?: boolean;
};

/** A range filter (age, approval rate…) as two number boxes; an empty box is no limit. */
export function RangeFilterField({ option, filter, onChange, autoFocus }: RangeFilterFieldProps) {
  const lower = filter?.lower ?? null;
  const upper = filter?.upper ?? null;
  const set = (next: Partial<RangeFilter>) =>
    onChange({ filterId: option.filterId, kind: "range", lower, upper, ...next });
  const bounds =
    option.min !== null && option.max !== null ? `Between ${option.min} and ${option.max}. ` : "";
  const reversed = lower !== null && upper !== null && lower > upper;
  const common = {
    min: option.min ?? undefined,
    max: option.max ?? undefined,
    clampBehavior: "blur" as const,
    allowNegative: (option.min ?? 0) < 0,
    nullable: true,
    w: 120,
  };
  return (
    <Fieldset
      // Looks like the other fields' labels, so a range reads as one more field.
      legend={
        <Text span size="sm" fw={600}>
          {option.title}
        </Text>
      }
      variant="unstyled"
      styles={{ root: { padding: 0, margin: 0, minInlineSize: 0 }, legend: { padding: 0, marginBottom: 0 } }}
      data-testid={`filter-${option.filterId}`}
    >
      <Text size="xs" c="dimmed" mb={4}>
        {option.description} {bounds}Leave a box empty for no limit.
      </Text>
      <Group gap="sm" align="flex-start">
        <NumberField
          {...common}
          label="From"
          aria-label={`${option.title} from`}
          value={lower}
          onChange={(next) => set({ lower: next })}
          autoFocus={autoFocus}
          error={reversed ? "Larger than “To”." : undefined}
        />
        <NumberField
          {...common}
          label="To"
          aria-label={`${option.title} to`}
          value={upper}
          onChange={(next) => set({ upper: next })}
        />
      </Group>
    </Fieldset>
  );
}
