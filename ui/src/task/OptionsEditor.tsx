import { ActionIcon, Button, Checkbox, Group, Input, Paper, Stack, TextInput } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";

import { useTranslation } from "../i18n";
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
  const { t } = useTranslation("task");
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
    <Input.Wrapper label={t("options.label")} labelElement="div" error={error} ref={container}>
      <Stack gap="xs" mt={4} component="ol" p={0} m={0}>
        {options.map((option, index) => {
          const name = option.label || t("options.unnamed", { number: index + 1 });
          return (
            <Paper key={index} component="li" withBorder p="xs" style={{ listStyle: "none" }} data-testid="option">
              <Group align="flex-end" gap="xs" wrap="wrap">
                <TextInput
                  label={t("options.option", { number: index + 1 })}
                  value={option.label}
                  onChange={(event) => update(index, relabel(option, event.currentTarget.value))}
                  style={{ flex: 2, minWidth: 160 }}
                />
                <TextInput
                  label={t("options.recordedAs")}
                  aria-label={t("options.recordedAsFor", { number: index + 1 })}
                  value={option.value}
                  onChange={(event) => update(index, { ...option, value: event.currentTarget.value })}
                  style={{ flex: 1, minWidth: 120 }}
                />
                <Group gap={2} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    aria-label={t("options.moveUp", { name })}
                    disabled={index === 0}
                    data-move-key={String(index)}
                    data-move="up"
                    onClick={() => move(index, "up")}
                  >
                    <IconArrowUp size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    aria-label={t("options.moveDown", { name })}
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
                    aria-label={t("options.remove", { name })}
                    onClick={() => onChange(options.filter((_, at) => at !== index))}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              </Group>
              {withHeadings && (
                <TextInput
                  mt="xs"
                  label={t("options.heading")}
                  aria-label={t("options.headingFor", { name })}
                  placeholder={t("options.headingExample")}
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
                  label={t("options.exclusive")}
                  aria-label={t("options.exclusiveFor", { name })}
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
        {t("options.add")}
      </Button>
    </Input.Wrapper>
  );
}
