import type { BonusRow } from "../backend";
import { t } from "../i18n";
import { minorFromMajor } from "../study/settings";

/** A pasted table of bonuses read: the rows, and what could not be read, by line. */
export type ReadBonusTable = { rows: BonusRow[]; problems: string[] };

/**
 * Reads bonuses pasted or typed as "participant id, amount" lines (a comma, semicolon or
 * tab between them; the amount in the study's currency as people write it: 1.50, 1,50 or
 * £1.50). A header line, blank lines and a person named twice are handled plainly: the
 * header and blanks are skipped, a repeat is a problem to fix rather than a double bonus.
 */
export function readBonusTable(text: string, currency: string): ReadBonusTable {
  const rows: BonusRow[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "") return;
    const cells = cellsOf(trimmed);
    const [id = "", amountText = "", ...rest] = cells;
    const number = index + 1;
    if (index === 0 && minorFromMajor(amountText, currency) === null && !/\d/.test(amountText)) return;
    if (rest.some((cell) => cell !== "")) {
      problems.push(t("results:bonusTable.oneAmount", { line: number }));
      return;
    }
    if (!/^[A-Za-z0-9_-]+$/.test(id)) {
      problems.push(t("results:bonusTable.notAnId", { line: number, id }));
      return;
    }
    const amount = minorFromMajor(amountText, currency);
    if (amount === null || amount <= 0) {
      problems.push(t("results:bonusTable.notAnAmount", { line: number, amount: amountText, currency }));
      return;
    }
    if (rows.some((row) => row.participantId === id)) {
      problems.push(t("results:bonusTable.twice", { line: number, id }));
      return;
    }
    rows.push({ participantId: id, amount });
  });
  return { rows, problems };
}

/**
 * A line's cells: split at tabs, else at semicolons, else at its first comma only (an
 * id has no comma, and the amount may be written "1,50").
 */
function cellsOf(line: string): string[] {
  if (line.includes("\t")) return line.split("\t").map((cell) => cell.trim());
  if (line.includes(";")) return line.split(";").map((cell) => cell.trim());
  const comma = line.indexOf(",");
  return comma < 0 ? [line] : [line.slice(0, comma).trim(), line.slice(comma + 1).trim()];
}
