import { Alert, Button, Group, Paper, Select, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconTrash } from "@tabler/icons-react";
import { useRef, useState } from "react";

import { say, useTranslation } from "../i18n";
import { emptyFilter, isEmptyFilter, withFilter, withoutFilter } from "./audience";
import { EligibilityCount } from "./EligibilityCount";
import { FilterField } from "./FilterField";
import type { AudienceFilter, Eligibility, FilterOption, SettingsIssue } from "./settings";

export type AudienceEditorProps = {
  filters: AudienceFilter[];
  onChange: (filters: AudienceFilter[]) => void;
  options: FilterOption[];
  eligibility: Eligibility;
  /** Issues from Rust about the audience (fields "audience" and "filters"). Optional. */
  issues?: SettingsIssue[];
};

/**
 * Who may take part: the common filters up front, any other Prolific filter through a
 * search, and how many people match. A common filter left empty is taken out of the
 * list (it is always on screen anyway); another filter stays until it is removed, so its
 * box does not vanish while the researcher is still choosing.
 */
export function AudienceEditor({ filters, onChange, options, eligibility, issues = [] }: AudienceEditorProps) {
  const { t } = useTranslation("study");
  const [justAdded, setJustAdded] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  // A removed filter's button goes with it; focus moves to the list's heading instead of
  // being dropped on the page, so a keyboard user carries on from the same place.
  const moreHeading = useRef<HTMLHeadingElement>(null);
  const common = options.filter((option) => option.common);
  const commonIds = new Set(common.map((option) => option.filterId));
  const added = filters.filter((filter) => !commonIds.has(filter.filterId));
  const addable = options.filter(
    (option) => !option.common && !filters.some((filter) => filter.filterId === option.filterId),
  );
  const find = (filterId: string) => filters.find((filter) => filter.filterId === filterId) ?? null;
  const audienceIssues = issues.filter((issue) => issue.field === "audience" || issue.field === "filters");

  const setCommon = (next: AudienceFilter) =>
    onChange(isEmptyFilter(next) ? withoutFilter(filters, next.filterId) : withFilter(filters, next));
  const add = (filterId: string | null) => {
    const option = options.find((o) => o.filterId === filterId);
    if (!option) return;
    setJustAdded(option.filterId);
    setSearch("");
    onChange(withFilter(filters, emptyFilter(option)));
  };

  return (
    <Stack gap="lg" data-testid="audience">
      <EligibilityCount eligibility={eligibility} />
      {audienceIssues.length > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />}>
          {audienceIssues.map((issue) => say(issue.message)).join(" ")}
        </Alert>
      )}

      <Stack gap="md">
        <Title order={3}>{t("audienceEditor.title")}</Title>
        {filters.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("audienceEditor.noFilters")}
          </Text>
        )}
        {common.map((option) => (
          <FilterField key={option.filterId} option={option} filter={find(option.filterId)} onChange={setCommon} />
        ))}
      </Stack>

      <Stack gap="sm">
        <Title order={4} ref={moreHeading} tabIndex={-1}>
          {t("audienceEditor.moreFilters")}
        </Title>
        {added.map((filter) => {
          const option = options.find((o) => o.filterId === filter.filterId);
          const title = option?.title ?? filter.filterId;
          return (
            <Paper key={filter.filterId} withBorder p="sm" aria-label={title} component="section">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <div style={{ flex: 1 }}>
                  {option ? (
                    <FilterField
                      option={option}
                      filter={filter}
                      onChange={(next) => onChange(withFilter(filters, next))}
                      autoFocus={justAdded === filter.filterId}
                    />
                  ) : (
                    // Prolific no longer offers it (or its list could not be read): it can only go.
                    <Text size="sm">
                      {t("audienceEditor.unlisted", { filterId: filter.filterId })}
                    </Text>
                  )}
                  {option && isEmptyFilter(filter) && (
                    <Text size="xs" c="dimmed" mt={4}>
                      {t("audienceEditor.emptyFilter")}
                    </Text>
                  )}
                </div>
                <Button
                  variant="subtle"
                  color="red"
                  size="compact-sm"
                  leftSection={<IconTrash size={16} aria-hidden />}
                  aria-label={t("audienceEditor.removeNamed", { title })}
                  onClick={() => {
                    onChange(withoutFilter(filters, filter.filterId));
                    moreHeading.current?.focus();
                  }}
                >
                  {t("audienceEditor.remove")}
                </Button>
              </Group>
            </Paper>
          );
        })}
        <Select
          label={t("audienceEditor.add.label")}
          description={t("audienceEditor.add.description")}
          placeholder={t("audienceEditor.add.placeholder")}
          data={addable.map((option) => ({ value: option.filterId, label: option.title }))}
          // Always empty: choosing adds the filter above, ready for the next search.
          value={null}
          onChange={add}
          searchValue={search}
          onSearchChange={setSearch}
          searchable
          nothingFoundMessage={t("audienceEditor.add.nothingFound")}
          maw={420}
          data-testid="add-filter"
        />
      </Stack>
    </Stack>
  );
}
