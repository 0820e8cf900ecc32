import { Alert, Checkbox, Group, List, Radio, Select, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

import { say, useTranslation } from "../i18n";
import { NumberField } from "../task/NumberField";
import { approvalDescription, approvalLabel, approvalOrder, deviceLabel, deviceOrder, elsewhereFields, formFields, narrow } from "./labels";
import { MaxTimeField } from "./MaxTimeField";
import { MoneyInput } from "./MoneyInput";
import { PeoplePerItemField } from "./PeoplePerItemField";
import { RateNote } from "./RateNote";
import { type Device, issuesFor, type SettingsIssue, type StudyFacts, type StudySettings } from "./settings";

export type StudySettingsFormProps = {
  settings: StudySettings;
  onChange: (settings: StudySettings) => void;
  facts: StudyFacts;
  projects: { id: string; title: string }[];
  /** Issues from Rust; each is shown on its field. */
  issues: SettingsIssue[];
};

const joined = (messages: string[]) => (messages.length > 0 ? messages.join(" ") : undefined);

/**
 * The study's settings in plain words: what participants see, how long and how much,
 * how many people, on what devices, in which project, and how submissions are approved.
 * Every change goes straight to onChange; Rust checks the whole and answers with issues.
 */
export function StudySettingsForm({ settings, onChange, facts, projects, issues }: StudySettingsFormProps) {
  const { t } = useTranslation("study");
  const set = <K extends keyof StudySettings>(key: K, value: StudySettings[K]) => onChange({ ...settings, [key]: value });
  const on = (field: keyof StudySettings) => issuesFor(issues, field);
  // An issue about a field this form does not know is still shown, at the top.
  const other = issues.filter((issue) => !formFields.includes(issue.field) && !elsewhereFields.includes(issue.field));
  const noDevice = settings.devices.length === 0 ? [t("form.noDevice")] : [];
  return (
    <Stack gap="lg" data-testid="study-settings">
      {other.length > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t("form.toFix")}>
          <List size="sm">
            {other.map((issue, index) => (
              <List.Item key={index}>{say(issue.message)}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      <Stack gap="sm">
        <Title order={3}>{t("form.seen.title")}</Title>
        <TextInput
          label={t("form.seen.publicTitle.label")}
          description={t("form.seen.publicTitle.description")}
          value={settings.title}
          onChange={(event) => set("title", event.currentTarget.value)}
          error={joined(on("title"))}
        />
        <Textarea
          label={t("form.seen.description.label")}
          description={t("form.seen.description.description")}
          minRows={3}
          value={settings.description}
          onChange={(event) => set("description", event.currentTarget.value)}
          error={joined(on("description"))}
        />
        <TextInput
          label={t("form.seen.internalName.label")}
          description={t("form.seen.internalName.description")}
          value={settings.internalName}
          onChange={(event) => set("internalName", event.currentTarget.value)}
          error={joined(on("internalName"))}
        />
      </Stack>

      <Stack gap="sm">
        <Title order={3}>{t("form.time.title")}</Title>
        <NumberField
          label={t("form.time.minutes.label")}
          description={t("form.time.minutes.description")}
          value={settings.estimatedMinutes}
          onChange={(next) => {
            if (next !== null && Number.isInteger(next) && next >= 1) set("estimatedMinutes", next);
          }}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          suffix={t("minutesSuffix")}
          error={joined(on("estimatedMinutes"))}
          styles={narrow}
          data-testid="estimated-minutes"
        />
        <MaxTimeField
          value={settings.maxMinutes}
          onChange={(next) => set("maxMinutes", next)}
          estimatedMinutes={settings.estimatedMinutes}
          defaultMaxMinutes={facts.defaultMaxMinutes}
          minimumMaxMinutes={facts.minimumMaxMinutes}
          issues={on("maxMinutes")}
        />
        <Stack gap={4}>
          <MoneyInput
            label={t("form.time.reward.label")}
            description={t("form.time.reward.description", { currency: facts.currency })}
            value={settings.reward}
            onChange={(next) => set("reward", next)}
            currency={facts.currency}
            error={joined(on("reward"))}
            styles={narrow}
            data-testid="reward"
          />
          <RateNote
            reward={settings.reward}
            estimatedMinutes={settings.estimatedMinutes}
            currency={facts.currency}
            recommendedHourly={facts.recommendedHourly}
            minimumHourly={facts.minimumHourly}
            onUseRecommended={(reward) => set("reward", reward)}
          />
        </Stack>
      </Stack>

      <Stack gap="sm">
        <Title order={3}>{t("form.people.title")}</Title>
        <PeoplePerItemField
          value={settings.peoplePerItem}
          onChange={(next) => set("peoplePerItem", next)}
          assignments={facts.assignments}
          issues={on("peoplePerItem")}
        />
      </Stack>

      <Stack gap="sm">
        <Title order={3}>{t("form.where.title")}</Title>
        <Checkbox.Group
          label={t("form.where.devices")}
          value={settings.devices}
          // Kept in one order, whatever order they are ticked in.
          onChange={(chosen) =>
            set(
              "devices",
              deviceOrder.filter((value): value is Device => chosen.includes(value)),
            )
          }
          error={joined([...on("devices"), ...(on("devices").length === 0 ? noDevice : [])])}
        >
          <Group mt={6}>
            {deviceOrder.map((device) => (
              <Checkbox key={device} value={device} label={deviceLabel(device)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Select
          label={t("form.where.project.label")}
          description={t("form.where.project.description")}
          placeholder={t("form.where.project.placeholder")}
          data={projects.map((project) => ({ value: project.id, label: project.title }))}
          value={settings.projectId}
          onChange={(value) => set("projectId", value)}
          allowDeselect={false}
          searchable
          nothingFoundMessage={t("form.where.project.nothingFound")}
          error={joined(on("projectId"))}
          maw={420}
        />
        <Radio.Group
          label={t("form.where.approval")}
          value={settings.approval}
          onChange={(value) => set("approval", value === "automatic" ? "automatic" : "review")}
          error={joined(on("approval"))}
        >
          <Stack gap="xs" mt={6}>
            {approvalOrder.map((approval) => (
              <Radio
                key={approval}
                value={approval}
                label={approvalLabel(approval)}
                description={approvalDescription(approval)}
              />
            ))}
          </Stack>
        </Radio.Group>
        <Text size="xs" c="dimmed">
          {t("form.where.prolificWords")}
        </Text>
      </Stack>
    </Stack>
  );
}
