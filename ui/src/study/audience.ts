/** Pure helpers over the chosen audience filters. */
import { t } from "../i18n";
import type { AudienceFilter, FilterOption } from "./settings";

/** A filter just added from the picker: nothing chosen yet. */
export function emptyFilter(option: FilterOption): AudienceFilter {
  return option.kind === "select"
    ? { filterId: option.filterId, kind: "select", values: [] }
    : { filterId: option.filterId, kind: "range", lower: null, upper: null };
}

/** Whether a filter leaves everyone in (no answer chosen, no limit set). */
export function isEmptyFilter(filter: AudienceFilter): boolean {
  return filter.kind === "select" ? filter.values.length === 0 : filter.lower === null && filter.upper === null;
}

/** The filters with `next` in place of the one with its id, or added at the end. */
export function withFilter(filters: AudienceFilter[], next: AudienceFilter): AudienceFilter[] {
  return filters.some((f) => f.filterId === next.filterId)
    ? filters.map((f) => (f.filterId === next.filterId ? next : f))
    : [...filters, next];
}

export function withoutFilter(filters: AudienceFilter[], filterId: string): AudienceFilter[] {
  return filters.filter((f) => f.filterId !== filterId);
}

/** A filter in a few words for a summary: "United Kingdom, Ireland", "18 to 65". */
export function describeFilter(filter: AudienceFilter, option?: FilterOption): string {
  if (filter.kind === "select") {
    if (filter.values.length === 0) return t("study:audience.nothingChosen");
    const labels = filter.values.map((id) => option?.choices.find((c) => c.id === id)?.label ?? id);
    const shown = labels.slice(0, 3).join(t("study:audience.listSeparator"));
    return labels.length > 3 ? t("study:audience.andMore", { shown, count: labels.length - 3 }) : shown;
  }
  const { lower, upper } = filter;
  if (lower !== null && upper !== null) return t("study:audience.between", { lower, upper });
  if (lower !== null) return t("study:audience.atLeast", { lower });
  if (upper !== null) return t("study:audience.upTo", { upper });
  return t("study:audience.noLimit");
}
