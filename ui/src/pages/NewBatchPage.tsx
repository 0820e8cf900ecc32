import { Stepper, Text } from "@mantine/core";

import { PlaceholderSection } from "./PlaceholderSection";

export function NewBatchPage() {
  return (
    <PlaceholderSection
      title="New batch"
      intro="Three steps turn your spreadsheet into a study on Prolific. Every choice is saved as you make it."
    >
      <Stepper active={-1} orientation="vertical" size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Your data" description="Drop a CSV file; Batchdesk checks it and fixes what it safely can." />
        <Stepper.Step label="Your task" description="Instructions and questions, with a preview as participants see it." />
        <Stepper.Step label="Who, how many, how much" description="Audience, people per item, and the exact cost before you publish." />
      </Stepper>
      <Text size="sm" c="dimmed" mt="md">
        The steps open here as they are built into this version of Batchdesk.
      </Text>
    </PlaceholderSection>
  );
}
