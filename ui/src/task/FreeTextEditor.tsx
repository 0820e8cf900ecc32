import { Group, Stack, TextInput } from "@mantine/core";

import type { FreeText } from "./design";
import { NumberField } from "./NumberField";

export type FreeTextEditorProps = {
  kind: FreeText;
  onChange: (kind: FreeText) => void;
  errorFor: (field: string) => string | undefined;
};

/** A written answer: the hint in the box and optional length limits in characters. */
export function FreeTextEditor({ kind, onChange, errorFor }: FreeTextEditorProps) {
  return (
    <Stack gap="sm">
      <TextInput
        label="Hint inside the answer box (optional)"
        placeholder="For example: Write two or three sentences"
        value={kind.placeholder}
        onChange={(event) => onChange({ ...kind, placeholder: event.currentTarget.value })}
        error={errorFor("placeholder")}
      />
      <Group grow align="flex-start">
        <NumberField
          label="At least this many characters"
          description="Empty: no minimum"
          value={kind.minLength}
          onChange={(minLength) => onChange({ ...kind, minLength })}
          nullable
          min={0}
          allowDecimal={false}
          allowNegative={false}
          error={errorFor("minLength")}
        />
        <NumberField
          label="At most this many characters"
          description="Empty: no maximum"
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
