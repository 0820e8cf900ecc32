import { Fieldset, Group, Text } from "@mantine/core";

import { useTranslation } from "../i18n";
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
  const { t } = useTranslation("study");
  const lower = filter?.lower ?? null;
  const upper = filter?.upper ?? null;
  const set = (next: Partial<RangeFilter>) =>
    onChange({ filterId: option.filterId, kind: "range", lower, upper, ...next });
  const bounds =
    option.min !== null && option.max !== null ? `${t("rangeFilter.bounds", { min: option.min, max: option.max })} ` : "";
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
        {option.description} {bounds}
        {t("rangeFilter.emptyBox")}
      </Text>
      <Group gap="sm" align="flex-start">
        <NumberField
          {...common}
          label={t("rangeFilter.from")}
          aria-label={t("rangeFilter.fromNamed", { title: option.title })}
          value={lower}
          onChange={(next) => set({ lower: next })}
          autoFocus={autoFocus}
          error={reversed ? t("rangeFilter.reversed") : undefined}
        />
        <NumberField
          {...common}
          label={t("rangeFilter.to")}
          aria-label={t("rangeFilter.toNamed", { title: option.title })}
          value={upper}
          onChange={(next) => set({ upper: next })}
        />
      </Group>
    </Fieldset>
  );
}
