import { NumberInput, type NumberInputProps } from "@mantine/core";
import { useState } from "react";

type Props = Omit<NumberInputProps, "value" | "onChange" | "onBlur"> & {
  value: number | null;
  onChange: (value: number | null) => void;
  /** Whether an empty field means "no limit" (null); otherwise the last number stays. */
  nullable?: boolean;
};

/**
 * A number field over a design value. What is half typed ("", "-", "1.") stays on screen
 * without reaching the design, and a required field left empty shows its number again on
 * blur, so the screen and the design never disagree for long.
 */
export function NumberField({ value, onChange, nullable = false, ...props }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <NumberInput
      {...props}
      value={draft ?? value ?? ""}
      onChange={(next) => {
        if (typeof next === "number") {
          setDraft(null);
          onChange(next);
        } else if (next === "" && nullable) {
          setDraft(null);
          onChange(null);
        } else {
          setDraft(next);
        }
      }}
      onBlur={() => setDraft(null)}
    />
  );
}
