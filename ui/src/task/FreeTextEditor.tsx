import { Group, Stack, TextInput } from "@mantine/core";

import { useTranslation } from "../i18n";
import type { FreeText } from "./design";
import { NumberField } from "./NumberField";

export type FreeTextEditorProps = {
  kind: FreeText;
  onChange: (kind: FreeText) => void;
  errorFor: (field: string) => string | undefined;
};

/** A written answer: the hint in the box and optional length limits in characters. */
export function FreeTextEditor({ kind, onChange, errorFor }: FreeTextEditorProps) {
  const { t } = useTranslation("task");
  return (
    <Stack gap="sm">
      <TextInput
        label={t("freeText.hint")}
        placeholder={t("freeText.hintExample")}
        value={kind.placeholder}
        onChange={(event) => onChange({ ...kind, placeholder: event.currentTarget.value })}
        error={errorFor("placeholder")}
      />
      <Group grow align="flex-start">
        <NumberField
          label={t("freeText.atLeast")}
          description={t("freeText.noMinimum")}
          value={kind.minLength}
          onChange={(minLength) => onChange({ ...kind, minLength })}
          nullable
          min={0}
          allowDecimal={false}
          allowNegative={false}
          error={errorFor("minLength")}
        />
        <NumberField
          label={t("freeText.atMost")}
          description={t("freeText.noMaximum")}
          value={kind.maxLength}
          onChange={(maxLength) => onChange({ ...kind, maxLength })}
          nullable
          min={0}
          allowDecimal={false}
          allowNegative={false}
          error={errorFor("maxLength")}
        />
      </Group>
    </Stack>
  );
}
