/** Plain words for what the CSV doctor reports. */
import type { InspectedFile } from "../backend";
import { t } from "../i18n";

type Report = InspectedFile["report"];

export function encodingLabel(encoding: Report["encoding"]): string {
  return t(`wizard:labels.encoding.${encoding}`);
}

export function delimiterLabel(delimiter: Report["delimiter"]): string {
  return t(`wizard:labels.delimiter.${delimiter}`);
}
