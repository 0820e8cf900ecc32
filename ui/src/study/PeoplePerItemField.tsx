import { Stack, Text } from "@mantine/core";

import { Trans, useTranslation } from "../i18n";
import { NumberField } from "../task/NumberField";
import { placesOf } from "./settings";
import { narrow } from "./labels";

export type PeoplePerItemFieldProps = {
  value: number;
  onChange: (value: number) => void;
  assignments: number;
  issues: string[];
};

/** How many different people answer each item, and the places that makes, live. */
export function PeoplePerItemField({ value, onChange, assignments, issues }: PeoplePerItemFieldProps) {
  const { t } = useTranslation("study");
  const places = placesOf(assignments, value);
  return (
    <Stack gap={4}>
      <NumberField
        label={t("peoplePerItem.label")}
        description={t("peoplePerItem.description")}
        value={value}
        onChange={(next) => {
          if (next !== null && Number.isInteger(next) && next >= 1) onChange(next);
        }}
        min={1}
        allowDecimal={false}
        allowNegative={false}
        error={issues.length > 0 ? issues.join(" ") : undefined}
        styles={narrow}
        data-testid="people-per-item"
      />
      <Text size="sm" aria-live="polite" data-testid="places">
        <Trans
          t={t}
          i18nKey="peoplePerItem.places"
          values={{
            assignments: t("count.assignments", { count: assignments }),
            people: t("count.people", { count: value }),
            places: t("count.places", { count: places }),
          }}
          components={{ strong: <strong /> }}
        />
      </Text>
      <Text size="xs" c="dimmed">
        {t("peoplePerItem.note")}
      </Text>
    </Stack>
  );
}
