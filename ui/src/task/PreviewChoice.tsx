import { Checkbox, MultiSelect, Radio, Select, Stack, Textarea } from "@mantine/core";
import { useState } from "react";

import { useTranslation } from "../i18n";
import type { MultipleChoice } from "./design";

export type PreviewChoiceProps = {
  kind: MultipleChoice;
  explain: boolean;
  label: string;
  description: string;
};

/**
 * A choice question as a participant meets it: radio buttons for one answer, checkboxes
 * for several, a dropdown from 5 options unless turned off, and for the explain type a
 * box under each chosen answer. Answers go nowhere; they reset with each row.
 * Options are told apart by position, since their results values may still be empty or
 * repeated while the researcher is editing.
 */
export function PreviewChoice({ kind, explain, label, description }: PreviewChoiceProps) {
  const { t } = useTranslation("task");
  const [chosen, setChosen] = useState<string[]>([]);
  const single = kind.answerLimit === 1;
  const dropdown = kind.allowDropdown && kind.options.length >= 5;
  const data = kind.options.map((option, index) => ({ value: String(index), label: option.label || " " }));
  const limit = kind.answerLimit > 0 ? kind.answerLimit : Infinity;

  // "None of these" clears the others, and any other answer clears it, as on Prolific.
  const choose = (next: string[]) => {
    const added = next.find((value) => !chosen.includes(value));
    const exclusive = (value: string) => kind.options[Number(value)]?.exclusive ?? false;
    if (added !== undefined) {
      next = exclusive(added) ? [added] : next.filter((value) => !exclusive(value));
    }
    setChosen(next.slice(0, limit));
  };

  const common = { label, description: description || undefined };
  let control;
  if (single && dropdown) {
    control = (
      <Select {...common} data={data} placeholder={kind.placeholder || undefined} value={chosen[0] ?? null} onChange={(value) => setChosen(value ? [value] : [])} />
    );
  } else if (single) {
    control = (
      <Radio.Group {...common} value={chosen[0] ?? null} onChange={(value) => setChosen([value])}>
        <Stack gap={6} mt={6}>
          {data.map((option) => (
            <Radio key={option.value} value={option.value} label={option.label} />
          ))}
        </Stack>
      </Radio.Group>
    );
  } else if (dropdown) {
    control = (
      <MultiSelect
        {...common}
        data={data}
        placeholder={kind.placeholder || undefined}
        value={chosen}
        onChange={choose}
        maxValues={Number.isFinite(limit) ? limit : undefined}
      />
    );
  } else {
    control = (
      <Checkbox.Group {...common} value={chosen} onChange={choose}>
        <Stack gap={6} mt={6}>
          {data.map((option) => (
            <Checkbox
              key={option.value}
              value={option.value}
              label={option.label}
              // At the limit, the unchosen answers wait until one is unticked.
              disabled={chosen.length >= limit && !chosen.includes(option.value)}
            />
          ))}
        </Stack>
      </Checkbox.Group>
    );
  }

  return (
    <Stack gap="xs">
      {control}
      {explain &&
        chosen.map((value) => {
          const option = kind.options[Number(value)];
          return option ? (
            <Textarea key={value} label={option.heading || t("preview.explain", { label: option.label })} autosize minRows={2} />
          ) : null;
        })}
    </Stack>
  );
}
