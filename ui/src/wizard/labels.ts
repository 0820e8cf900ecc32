/** Plain words for what the CSV doctor reports. */
import type { InspectedFile } from "../backend";

type Report = InspectedFile["report"];

export const encodingLabel: Record<Report["encoding"], string> = {
  Utf8: "UTF-8",
  Utf8WithBom: "UTF-8 with a byte order mark",
  Utf16Le: "UTF-16 (Excel “Unicode text”)",
  Utf16Be: "UTF-16 (big-endian)",
  Windows1252: "Windows Western (1252)",
};

export const delimiterLabel: Record<Report["delimiter"], string> = {
  Comma: "commas",
  Semicolon: "semicolons",
  Tab: "tabs",
  Pipe: "vertical bars",
};

export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
