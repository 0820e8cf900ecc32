import { Button, Group, Stack, Stepper, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconArrowRight } from "@tabler/icons-react";
import { useState } from "react";

import { useDataDraft, useTaskDraft } from "../queries";
import { DataStep } from "../wizard/DataStep";
import { StudyStep } from "../wizard/StudyStep";
import { TaskStep } from "../wizard/TaskStep";

export function NewBatchPage() {
  const draft = useDataDraft();
  if (draft.isPending) return null;
  // Coming back to a batch whose data is uploaded opens on the task.
  return <Wizard firstStep={draft.data?.ready ? 1 : 0} />;
}

function Wizard({ firstStep }: { firstStep: number }) {
  const dataReady = useDataDraft().data?.ready ?? false;
  const batchReady = Boolean(useTaskDraft().data?.batch?.ready);
  const [step, setActive] = useState(firstStep);

  return (
    <Stack gap="lg" maw={1000}>
      <Stack gap="xs">
        <Title order={2}>New batch</Title>
        <Text c="dimmed">Three steps turn your spreadsheet into a study on Prolific.</Text>
      </Stack>
      <Stepper active={step} onStepClick={setActive} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Your data" description="Check and fix your file" data-testid="step-data">
          <Stack gap="lg">
            <DataStep />
            <Group justify="flex-end">
              <Button
                rightSection={<IconArrowRight size={18} aria-hidden />}
                disabled={!dataReady}
                onClick={() => setActive(1)}
                data-testid="continue-to-task"
              >
                Continue to your task
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Your task" description="Instructions and questions" data-testid="step-task">
          <Stack gap="lg">
            <TaskStep />
            <Group justify="space-between">
              <Button
                variant="default"
                leftSection={<IconArrowLeft size={18} aria-hidden />}
                onClick={() => setActive(0)}
                data-testid="back-to-data"
              >
                Back to your data
              </Button>
              <Button
                rightSection={<IconArrowRight size={18} aria-hidden />}
                disabled={!batchReady}
                onClick={() => setActive(2)}
                data-testid="continue-to-study"
              >
                Continue to who, how many, how much
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Who, how many, how much" description="Audience and exact cost" data-testid="step-study">
          <Stack gap="lg">
            <StudyStep onEditStep={setActive} />
            <Group>
              <Button
                variant="default"
                leftSection={<IconArrowLeft size={18} aria-hidden />}
                onClick={() => setActive(1)}
                data-testid="back-to-task"
              >
                Back to your task
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
