import { ActionIcon, Button, Checkbox, Group, Input, Paper, Stack, TextInput } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";

import { type ChoiceOption, moveItem, newOption, relabel } from "./design";
import { useFocusAfterMove } from "./useFocusAfterMove";

export type OptionsEditorProps = {
  options: ChoiceOption[];
  onChange: (options: ChoiceOption[]) => void;
  /** The explain type: each option titles its own explanation box. */
  withHeadings: boolean;
  /** Whether several answers are allowed; "none of these" only makes sense then. */
  severalAnswers: boolean;
  error?: string;
};

/** The answers participants choose from: label, results value, "none of these", heading. */
export function OptionsEditor({ options, onChange, withHeadings, severalAnswers, error }: OptionsEditorProps) {
  const { container, refocus } = useFocusAfterMove<HTMLDivElement>();
  const update = (index: number, option: ChoiceOption) =>
    onChange(options.map((current, at) => (at === index ? option : current)));
  const move = (index: number, direction: "up" | "down") => {
    const to = direction === "up" ? index - 1 : index + 1;
    // Options have no identity of their own, so focus follows the option to its new place.
    refocus(String(to), direction);
    onChange(moveItem(options, index, to));
  };

  return (
    <Input.Wrapper label="Answers to choose from" labelElement="div" error={error} ref={container}>
      <Stack gap="xs" mt={4} component="ol" p={0} m={0}>
        {options.map((option, index) => {
          const name = option.label || `option ${index + 1}`;
          return (
            <Paper key={index} component="li" withBorder p="xs" style={{ listStyle: "none" }} data-testid="option">
              <Group align="flex-end" gap="xs" wrap="wrap">
                <TextInput
                  label={`Option ${index + 1}`}
                  value={option.label}
                  onChange={(event) => update(index, relabel(option, event.currentTarget.value))}
                  style={{ flex: 2, minWidth: 160 }}
                />
                <TextInput
                  label="Recorded in results as"
                  aria-label={`Option ${index + 1} recorded in results as`}
                  value={option.value}
                  onChange={(event) => update(index, { ...option, value: event.currentTarget.value })}
                  style={{ flex: 1, minWidth: 120 }}
                />
                <Group gap={2} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    aria-label={`Move ${name} up`}
                    disabled={index === 0}
                    data-move-key={String(index)}
                    data-move="up"
                    onClick={() => move(index, "up")}
                  >
                    <IconArrowUp size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    aria-label={`Move ${name} down`}
                    disabled={index === options.length - 1}
                    data-move-key={String(index)}
                    data-move="down"
                    onClick={() => move(index, "down")}
                  >
                    <IconArrowDown size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${name}`}
                    onClick={() => onChange(options.filter((_, at) => at !== index))}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              </Group>
              {withHeadings && (
                <TextInput
                  mt="xs"
                  label="Title of its explanation box"
                  aria-label={`Title of the explanation box for ${name}`}
                  placeholder="For example: Why did you choose this?"
                  value={option.heading}
                  onChange={(event) => update(index, { ...option, heading: event.currentTarget.value })}
                />
              )}
              {/* Shown when it can apply, and while set, so a "none of these" left over from
                  several answers can still be turned off. */}
              {(severalAnswers || option.exclusive) && (
                <Checkbox
                  mt="xs"
                  size="xs"
                  label="“None of these”: choosing it clears the other answers"
                  aria-label={`${name} is “none of these”`}
                  checked={option.exclusive}
                  onChange={(event) => update(index, { ...option, exclusive: event.currentTarget.checked })}
                />
              )}
            </Paper>
          );
        })}
      </Stack>
      <Button
        mt="xs"
        size="xs"
        variant="light"
        leftSection={<IconPlus size={14} aria-hidden />}
        onClick={() => onChange([...options, { ...newOption(options), heading: options[0]?.heading ?? "" }])}
      >
        Add an answer
      </Button>
    </Input.Wrapper>
  );
}
