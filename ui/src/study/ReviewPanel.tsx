import { Stack, Text } from "@mantine/core";

import { describeFilter } from "./audience";
import { approvalLabel, deviceLabel } from "./labels";
import { ReviewSection } from "./ReviewSection";
import {
  count,
  type Eligibility,
  type FilterOption,
  hourlyRate,
  money,
  placesOf,
  type PriceQuote,
  type StudyFacts,
  type StudySettings,
} from "./settings";

export type EditSection = "data" | "task" | "settings" | "audience";

export type ReviewPanelProps = {
  settings: StudySettings;
  facts: StudyFacts;
  quote: PriceQuote | null;
  eligibility: Eligibility;
  taskTitle: string;
  rows: number;
  onEdit: (section: EditSection) => void;
  /** To name the project rather than show its id (optional addition to the contract). */
  projects?: { id: string; title: string }[];
  /** To name the filters and their answers rather than show ids (optional addition). */
  options?: FilterOption[];
};

function audienceSize(eligibility: Eligibility): string {
  if (eligibility.fewerThan25 || eligibility.count === 0) return "Fewer than 25 people match";
  if (eligibility.count === null) return eligibility.checking ? "Counting…" : "Not known yet";
  return `About ${eligibility.count.toLocaleString()} people match`;
}

/**
 * Everything the study will be, on one page, before any money moves; each part has an
 * Edit button that goes back to where it is set.
 */
export function ReviewPanel({
  settings,
  facts,
  quote,
  eligibility,
  taskTitle,
  rows,
  onEdit,
  projects,
  options,
}: ReviewPanelProps) {
  const currency = quote?.currency ?? facts.currency;
  const places = placesOf(facts.assignments, settings.peoplePerItem);
  const project = settings.projectId
    ? (projects?.find((p) => p.id === settings.projectId)?.title ?? settings.projectId)
    : "None chosen";
  const maxTime =
    settings.maxMinutes === null ? `${facts.defaultMaxMinutes} min (the default)` : `${settings.maxMinutes} min`;
  const filterRows: [string, string][] = settings.filters.map((filter) => {
    const option = options?.find((o) => o.filterId === filter.filterId);
    return [option?.title ?? filter.filterId, describeFilter(filter, option)];
  });
  return (
    <Stack gap="md" data-testid="review">
      <ReviewSection
        title="Your data"
        editName="your data"
        onEdit={() => onEdit("data")}
        rows={[["Rows", rows.toLocaleString()]]}
      />
      <ReviewSection
        title="Your task"
        editName="your task"
        onEdit={() => onEdit("task")}
        rows={[
          ["Task", taskTitle || "Untitled task"],
          ["Assignments", facts.assignments.toLocaleString()],
        ]}
      />
      <ReviewSection
        title="Study settings"
        editName="the study settings"
        onEdit={() => onEdit("settings")}
        rows={[
          ["Public title", settings.title || "Not set"],
          [
            "Description",
            <Text key="d" size="sm" lineClamp={4} style={{ whiteSpace: "pre-wrap" }}>
              {settings.description || "Not set"}
            </Text>,
          ],
          ["Internal name", settings.internalName || "Not set"],
          ["Time", `${settings.estimatedMinutes} min per assignment; at most ${maxTime}`],
          [
            "Reward",
            `${money(settings.reward, currency)} per submission (${money(hourlyRate(settings.reward, settings.estimatedMinutes), currency)}/h)`,
          ],
          ["People per item", settings.peoplePerItem.toLocaleString()],
          ["Devices", settings.devices.map((d) => deviceLabel[d]).join(", ") || "None chosen"],
          ["Project", project],
          ["Approval", approvalLabel[settings.approval]],
        ]}
      />
      <ReviewSection
        title="Audience"
        editName="the audience"
        onEdit={() => onEdit("audience")}
        rows={[
          ...(filterRows.length > 0 ? filterRows : ([["Filters", "None: anyone on Prolific"]] as [string, string][])),
          ["Matching people", audienceSize(eligibility)],
        ]}
      />
      <ReviewSection
        title="Places and cost"
        rows={[
          [
            "Places",
            `${count(facts.assignments, "assignment", "assignments")} × ${count(settings.peoplePerItem, "person", "people")} = ${count(places, "place", "places")}`,
          ],
          [
            "Total",
            <Text key="t" size="sm" fw={700} data-testid="review-total">
              {quote ? `${money(quote.total, quote.currency)} (rewards, fees and tax)` : "Not known yet"}
            </Text>,
          ],
        ]}
      />
    </Stack>
  );
}
