import { TextInput, type TextInputProps } from "@mantine/core";
import { useState } from "react";

import { formatNumberToParts } from "../format";
import { useTranslation } from "../i18n";
import { decimalSeparator, majorFromMinor, minorDigits, minorFromMajor } from "./settings";

export type MoneyInputProps = Omit<TextInputProps, "value" | "onChange" | "leftSection" | "error"> & {
  /** Minor units (pence, cents). */
  value: number;
  onChange: (value: number) => void;
  currency: string;
  error?: string | null;
};

/** The currency's symbol in the researcher's locale ("£", "$", "US$"). */
function symbolOf(currency: string): string {
  return formatNumberToParts(0, { style: "currency", currency }).find((part) => part.type === "currency")?.value ?? currency;
}

/**
 * An amount typed the way people write it (12.50, or 12,50 in much of Europe) and kept
 * in minor units. A plain text field rather than a number field, so a comma is not
 * thrown away and nothing is rounded: what is typed is exactly what is stored, or the
 * field says why not. The typed text stays while the field has focus; on leaving it shows
 * the stored amount again, so the screen and the settings never disagree for long.
 */
export function MoneyInput({ value, onChange, currency, error, ...props }: MoneyInputProps) {
  const { t } = useTranslation("study");
  const [draft, setDraft] = useState<string | null>(null);
  const digits = minorDigits(currency);
  const separator = decimalSeparator();
  // An emptied field is on its way to a new amount: no complaint until something is typed.
  const unreadable = draft !== null && draft.trim() !== "" && minorFromMajor(draft, currency) === null;
  const example = digits === 0 ? "150" : `1${separator}${"5".padEnd(digits, "0")}`;
  return (
    <TextInput
      {...props}
      inputMode="decimal"
      autoComplete="off"
      leftSection={<span aria-hidden>{symbolOf(currency)}</span>}
      value={draft ?? majorFromMinor(value, currency, separator)}
      onChange={(event) => {
        const text = event.currentTarget.value;
        setDraft(text);
        const minor = minorFromMajor(text, currency);
        if (minor !== null && minor !== value) onChange(minor);
      }}
      onBlur={() => setDraft(null)}
      error={
        unreadable
          ? digits > 0
            ? t("money.unreadableDecimals", { currency, example, count: digits })
            : t("money.unreadable", { currency, example })
          : error || undefined
      }
    />
  );
}
