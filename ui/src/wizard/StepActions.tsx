import { Button, Group, Text } from "@mantine/core";
import { IconArrowLeft, IconArrowRight } from "@tabler/icons-react";
import { useId } from "react";

/**
 * The foot of a wizard step: one primary button that does what is needed to move on
 * (upload, set up) and then moves on, or is off with the reason in words beside it (and
 * as its accessible description); and, from step 2, a way back.
 */
export function StepActions({
  back,
  label,
  onContinue,
  blockedBy,
  busy,
  testId,
}: {
  back?: { label: string; onClick: () => void; testId: string };
  /** Says what Continue will do, such as "Upload to Prolific and continue". */
  label: string;
  onContinue: () => void;
  /** Why Continue cannot be pressed yet, in plain words; `null` when it can. */
  blockedBy: string | null;
  /** The work Continue started is under way (its progress is shown above). */
  busy: boolean;
  testId: string;
}) {
  const reasonId = useId();
  const reason = busy ? null : blockedBy;
  return (
    <Group justify={back ? "space-between" : "flex-end"} align="center" wrap="nowrap">
      {back && (
        <Button
          variant="default"
          leftSection={<IconArrowLeft size={18} aria-hidden />}
          onClick={back.onClick}
          data-testid={back.testId}
        >
          {back.label}
        </Button>
      )}
      <Group gap="sm" justify="flex-end" wrap="nowrap">
        {reason && (
          <Text size="sm" c="dimmed" id={reasonId} ta="right" data-testid={`${testId}-reason`}>
            {reason}
          </Text>
        )}
        <Button
          rightSection={<IconArrowRight size={18} aria-hidden />}
          onClick={onContinue}
          disabled={reason !== null}
          loading={busy}
          aria-describedby={reason ? reasonId : undefined}
          data-testid={testId}
        >
          {label}
        </Button>
      </Group>
    </Group>
  );
}
