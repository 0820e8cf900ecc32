/**
 * Formats an amount in minor units (pence, cents) of `currency` for the researcher's
 * locale. The number of minor digits comes from the currency itself (JPY has none).
 */
export function formatMinorUnits(amount: number, currency: string, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
