/**
 * Money in minor units is formatted by `src/format.ts` (for the OS locale); this module
 * only keeps the old import path working for the study step's files until they move.
 */
export { formatMinorUnits } from "./format";
