import { MultiSelect } from "@mantine/core";

import { useTranslation } from "../i18n";
import type { AudienceFilter, FilterOption } from "./settings";

type SelectFilter = Extract<AudienceFilter, { kind: "select" }>;

export type SelectFilterFieldProps = {
  option: FilterOption;
  filter: SelectFilter | null;
  onChange: (filter: SelectFilter) => void;
  autoFocus?: boolean;
};

/**
 * A select filter (country, language…) as a searchable multi-select: some have hundreds
 * of answers, so typing a few letters finds one faster than scrolling.
 */
export function SelectFilterField({ option, filter, onChange, autoFocus }: SelectFilterFieldProps) {
  const { t } = useTranslation("study");
  const values = filter?.values ?? [];
  return (
    <MultiSelect
      label={option.title}
      description={`${option.description} ${t("selectFilter.anyone")}`}
      placeholder={values.length === 0 ? t("selectFilter.placeholder") : undefined}
      data={option.choices.map((choice) => ({ value: choice.id, label: choice.label }))}
      value={values}
      onChange={(next) => onChange({ filterId: option.filterId, kind: "select", values: next })}
      searchable
      clearable
      nothingFoundMessage={t("selectFilter.nothingFound")}
      autoFocus={autoFocus}
      maw={520}
      data-testid={`filter-${option.filterId}`}
    />
  );
}
