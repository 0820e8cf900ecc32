import { Alert, Checkbox, Group, List, Radio, Select, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

import { NumberField } from "../task/NumberField";
import { approvals, devices, elsewhereFields, formFields, narrow } from "./labels";
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
  const set = <K extends keyof StudySettings>(key: K, value: StudySettings[K]) => onChange({ ...settings, [key]: value });
  const on = (field: string) => issuesFor(issues, field);
  // An issue about a field this form does not know is still shown, at the top.
  const other = issues.filter((issue) => !formFields.includes(issue.field) && !elsewhereFields.includes(issue.field));
  const noDevice = settings.devices.length === 0 ? ["Choose at least one device."] : [];
  return (
    <Stack gap="lg" data-testid="study-settings">
      {other.length > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="To fix before publishing">
          <List size="sm">
            {other.map((issue, index) => (
              <List.Item key={index}>{issue.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      <Stack gap="sm">
        <Title order={3}>What participants see</Title>
        <TextInput
          label="Public title"
          description="Shown in Prolific's list of studies."
          value={settings.title}
          onChange={(event) => set("title", event.currentTarget.value)}
          error={joined(on("title"))}
        />
        <Textarea
          label="Description"
          description="Tells people what the task is before they take part. Plain text."
          minRows={3}
          value={settings.description}
          onChange={(event) => set("description", event.currentTarget.value)}
          error={joined(on("description"))}
        />
        <TextInput
          label="Internal name"
          description="Only you and your team see this."
          value={settings.internalName}
          onChange={(event) => set("internalName", event.currentTarget.value)}
          error={joined(on("internalName"))}
        />
      </Stack>

      <Stack gap="sm">
        <Title order={3}>Time and pay</Title>
        <NumberField
          label="Minutes for one assignment"
          description="About how long one person takes to do one assignment. Prolific shows this to participants."
          value={settings.estimatedMinutes}
          onChange={(next) => {
            if (next !== null && Number.isInteger(next) && next >= 1) set("estimatedMinutes", next);
          }}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          suffix=" min"
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
            label="Reward per submission"
            description={`What one person is paid for one assignment, in ${facts.currency}.`}
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
        <Title order={3}>How many people</Title>
        <PeoplePerItemField
          value={settings.peoplePerItem}
          onChange={(next) => set("peoplePerItem", next)}
          assignments={facts.assignments}
          issues={on("peoplePerItem")}
        />
      </Stack>

      <Stack gap="sm">
        <Title order={3}>Where and how</Title>
        <Checkbox.Group
          label="Devices participants may use"
          value={settings.devices}
          // Kept in one order, whatever order they are ticked in.
          onChange={(chosen) =>
            set(
              "devices",
              devices.map((d) => d.value).filter((value): value is Device => chosen.includes(value)),
            )
          }
          error={joined([...on("devices"), ...(on("devices").length === 0 ? noDevice : [])])}
        >
          <Group mt={6}>
            {devices.map((device) => (
              <Checkbox key={device.value} value={device.value} label={device.label} />
            ))}
          </Group>
        </Checkbox.Group>
        <Select
          label="Project"
          description="The Prolific project the study goes in; your workspace's balance pays for it."
          placeholder="Choose a project"
          data={projects.map((project) => ({ value: project.id, label: project.title }))}
          value={settings.projectId}
          onChange={(value) => set("projectId", value)}
          allowDeselect={false}
          searchable
          nothingFoundMessage="No project has that name"
          error={joined(on("projectId"))}
          maw={420}
        />
        <Radio.Group
          label="When someone finishes"
          value={settings.approval}
          onChange={(value) => set("approval", value === "automatic" ? "automatic" : "review")}
          error={joined(on("approval"))}
        >
          <Stack gap="xs" mt={6}>
            {approvals.map((approval) => (
              <Radio key={approval.value} value={approval.value} label={approval.label} description={approval.description} />
            ))}
          </Stack>
        </Radio.Group>
        <Text size="xs" c="dimmed">
          Prolific's words: devices are “device_compatibility”, approval is the completion code's action.
        </Text>
      </Stack>
    </Stack>
  );
}
