/** Plain words for what the CSV doctor reports. */
import type { InspectedFile } from "../backend";
import { formatNumber } from "../format";
import { t } from "../i18n";

type Report = InspectedFile["report"];

export function encodingLabel(encoding: Report["encoding"]): string {
  return t(`wizard:labels.encoding.${encoding}`);
}

export function delimiterLabel(delimiter: Report["delimiter"]): string {
  return t(`wizard:labels.delimiter.${delimiter}`);
}

const units = ["kilobytes", "megabytes", "gigabytes"] as const;

/** A size in bytes, KB, MB or GB (powers of 1000), with the locale's digits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit < 0) return t("wizard:labels.bytes", { count: value });
  const digits = value < 10 ? 1 : 0;
  const shown = formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return t(`wizard:labels.${units[unit] ?? "gigabytes"}`, { value: shown });
}
