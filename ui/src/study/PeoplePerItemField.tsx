import { Stack, Text } from "@mantine/core";

import { NumberField } from "../task/NumberField";
import { count, placesOf } from "./settings";
import { narrow } from "./labels";

export type PeoplePerItemFieldProps = {
  value: number;
  onChange: (value: number) => void;
  assignments: number;
  issues: string[];
};

/** How many different people answer each item, and the places that makes, live. */
export function PeoplePerItemField({ value, onChange, assignments, issues }: PeoplePerItemFieldProps) {
  const places = placesOf(assignments, value);
  return (
    <Stack gap={4}>
      <NumberField
        label="People per item"
        description="How many different people answer each item. More people give a more reliable answer, and cost more."
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
        Places = {count(assignments, "assignment", "assignments")} × {count(value, "person", "people")} ={" "}
        <strong>{count(places, "place", "places")}</strong>
      </Text>
      <Text size="xs" c="dimmed">
        A place is one person doing one assignment; you pay the reward once per place. Prolific calls people per item
        “annotators_per_task”.
      </Text>
    </Stack>
  );
}
