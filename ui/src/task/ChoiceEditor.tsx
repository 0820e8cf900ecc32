import { Group, Radio, Stack, Switch, TextInput } from "@mantine/core";

import { useTranslation } from "../i18n";
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
  const { t } = useTranslation("task");
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
        label={t("choice.howMany")}
        value={mode}
        onChange={setMode}
        error={errorFor("answerLimit")}
      >
        <Group gap="md" mt={4} align="center">
          <Radio value="one" label={t("choice.one")} />
          <Radio value="any" label={t("choice.any")} />
          <Radio value="upTo" label={t("choice.upTo")} />
          {mode === "upTo" && (
            <NumberField
              aria-label={t("choice.mostAnswers")}
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
        label={t("choice.dropdown")}
        description={t("choice.dropdownDescription")}
        checked={kind.allowDropdown}
        onChange={(event) => onChange({ ...kind, allowDropdown: event.currentTarget.checked })}
        error={errorFor("allowDropdown")}
      />
      {/* The placeholder only shows in a dropdown, so it is asked for only then. */}
      {((kind.allowDropdown && kind.options.length >= 5) || errorFor("placeholder")) && (
        <TextInput
          label={t("choice.placeholder")}
          placeholder={t("choice.placeholderExample")}
          value={kind.placeholder}
          onChange={(event) => onChange({ ...kind, placeholder: event.currentTarget.value })}
          error={errorFor("placeholder")}
        />
      )}
    </Stack>
  );
}
