import { Stack, Text } from "@mantine/core";

import { formatNumber } from "../format";
import { t as translate, useTranslation } from "../i18n";
import { describeFilter } from "./audience";
import { approvalLabel, deviceLabel } from "./labels";
import { ReviewSection } from "./ReviewSection";
import {
  type Eligibility,
  type FilterOption,
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
  if (eligibility.fewerThan25 || eligibility.count === 0) return translate("study:review.audienceFew");
  if (eligibility.count === null) return eligibility.checking ? translate("study:review.counting") : translate("study:review.notKnown");
  return translate("study:eligibility.about", { count: eligibility.count });
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
  const { t } = useTranslation("study");
  const currency = quote?.currency ?? facts.currency;
  const places = placesOf(facts.assignments, settings.peoplePerItem);
  const project = settings.projectId
    ? (projects?.find((p) => p.id === settings.projectId)?.title ?? settings.projectId)
    : t("review.noneChosen");
  const maxTime =
    settings.maxMinutes === null
      ? t("review.maxDefault", { minutes: facts.defaultMaxMinutes })
      : t("review.minutes", { minutes: settings.maxMinutes });
  const filterRows: [string, string][] = settings.filters.map((filter) => {
    const option = options?.find((o) => o.filterId === filter.filterId);
    return [option?.title ?? filter.filterId, describeFilter(filter, option)];
  });
  return (
    <Stack gap="md" data-testid="review">
      <ReviewSection
        title={t("review.data.title")}
        editName={t("review.data.editName")}
        onEdit={() => onEdit("data")}
        rows={[[t("review.data.rows"), formatNumber(rows)]]}
      />
      <ReviewSection
        title={t("review.task.title")}
        editName={t("review.task.editName")}
        onEdit={() => onEdit("task")}
        rows={[
          [t("review.task.task"), taskTitle || t("settings.untitledTask")],
          [t("review.task.assignments"), formatNumber(facts.assignments)],
        ]}
      />
      <ReviewSection
        title={t("review.settings.title")}
        editName={t("review.settings.editName")}
        onEdit={() => onEdit("settings")}
        rows={[
          [t("review.settings.publicTitle"), settings.title || t("review.notSet")],
          [
            t("review.settings.description"),
            <Text key="d" size="sm" lineClamp={4} style={{ whiteSpace: "pre-wrap" }}>
              {settings.description || t("review.notSet")}
            </Text>,
          ],
          [t("review.settings.internalName"), settings.internalName || t("review.notSet")],
          [t("review.settings.time"), t("review.settings.timeValue", { minutes: settings.estimatedMinutes, maxTime })],
          [
            t("review.settings.reward"),
            t("review.settings.rewardValue", {
              reward: money(settings.reward, currency),
              // Rust's rate for the settings as last saved (and checked).
              hourly: money(facts.hourlyRate, currency),
            }),
          ],
          [t("review.settings.peoplePerItem"), formatNumber(settings.peoplePerItem)],
          [
            t("review.settings.devices"),
            settings.devices.map(deviceLabel).join(t("audience.listSeparator")) || t("review.noneChosen"),
          ],
          [t("review.settings.project"), project],
          [t("review.settings.approval"), approvalLabel(settings.approval)],
        ]}
      />
      <ReviewSection
        title={t("review.audience.title")}
        editName={t("review.audience.editName")}
        onEdit={() => onEdit("audience")}
        rows={[
          ...(filterRows.length > 0
            ? filterRows
            : ([[t("review.audience.filters"), t("review.audience.noFilters")]] as [string, string][])),
          [t("review.audience.matching"), audienceSize(eligibility)],
        ]}
      />
      <ReviewSection
        title={t("review.cost.title")}
        rows={[
          [
            t("review.cost.places"),
            t("review.cost.placesValue", {
              assignments: t("count.assignments", { count: facts.assignments }),
              people: t("count.people", { count: settings.peoplePerItem }),
              places: t("count.places", { count: places }),
            }),
          ],
          [
            t("review.cost.total"),
            <Text key="t" size="sm" fw={700} data-testid="review-total">
              {quote ? t("review.cost.totalValue", { total: money(quote.total, quote.currency) }) : t("review.notKnown")}
            </Text>,
          ],
        ]}
      />
    </Stack>
  );
}
