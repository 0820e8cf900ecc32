import { Group, Radio, Stack, Switch, TextInput } from "@mantine/core";

import type { MultipleChoice } from "./design";
import { NumberField } from "./NumberField";
import { OptionsEditor } from "./OptionsEditor";

export type ChoiceEditorProps = {
  kind: MultipleChoice;
  onChange: (kind: MultipleChoice) => void;
  withHeadings: boolean;
  errorFor: (field: string) => string | undefined;
};

type AnswerMode = "one" | "any" | "upTo";

const modeOf = (answerLimit: number): AnswerMode => (answerLimit === 1 ? "one" : answerLimit === -1 ? "any" : "upTo");

/** Options, how many answers (answerLimit 1, -1 or n), and the dropdown, for both choice types. */
export function ChoiceEditor({ kind, onChange, withHeadings, errorFor }: ChoiceEditorProps) {
  const mode = modeOf(kind.answerLimit);
  const setMode = (next: AnswerMode) =>
    onChange({ ...kind, answerLimit: next === "one" ? 1 : next === "any" ? -1 : 2 });

  return (
    <Stack gap="sm">
      <OptionsEditor
        options={kind.options}
        onChange={(options) => onChange({ ...kind, options })}
        withHeadings={withHeadings}
        severalAnswers={mode !== "one"}
        error={errorFor("options")}
      />
      <Radio.Group
        label="How many answers may a participant choose?"
        value={mode}
        onChange={setMode}
        error={errorFor("answerLimit")}
      >
        <Group gap="md" mt={4} align="center">
          <Radio value="one" label="One" />
          <Radio value="any" label="Any number" />
          <Radio value="upTo" label="Up to…" />
          {mode === "upTo" && (
            <NumberField
              aria-label="Most answers a participant may choose"
              value={kind.answerLimit}
              onChange={(value) => value !== null && onChange({ ...kind, answerLimit: value })}
              min={2}
              allowDecimal={false}
              allowNegative={false}
              w={90}
              size="xs"
            />
          )}
        </Group>
      </Radio.Group>
      <Switch
        label="Show as a dropdown list when there are 5 or more answers"
        description="Off: participants always see every answer as a button."
        checked={kind.allowDropdown}
        onChange={(event) => onChange({ ...kind, allowDropdown: event.currentTarget.checked })}
        error={errorFor("allowDropdown")}
      />
      {/* The placeholder only shows in a dropdown, so it is asked for only then. */}
      {((kind.allowDropdown && kind.options.length >= 5) || errorFor("placeholder")) && (
        <TextInput
          label="Text in the dropdown before anything is chosen (optional)"
          placeholder="For example: Choose an answer"
          value={kind.placeholder}
          onChange={(event) => onChange({ ...kind, placeholder: event.currentTarget.value })}
          error={errorFor("placeholder")}
        />
      )}
    </Stack>
  );
}
