import { Stack, Stepper, Text, Title } from "@mantine/core";

import { DataStep } from "../wizard/DataStep";

export function NewBatchPage() {
  return (
    <Stack gap="lg" maw={1000}>
      <Stack gap="xs">
        <Title order={2}>New batch</Title>
        <Text c="dimmed">Three steps turn your spreadsheet into a study on Prolific.</Text>
      </Stack>
      <Stepper active={0} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Your data" description="Check and fix your file">
          <DataStep />
        </Stepper.Step>
        <Stepper.Step label="Your task" description="Instructions and questions" />
        <Stepper.Step label="Who, how many, how much" description="Audience and exact cost" />
      </Stepper>
    </Stack>
  );
}
