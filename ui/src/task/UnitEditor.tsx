import { ActionIcon, Button, Group, Input, NativeSelect, SegmentedControl, Stack, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";

import { type FreeTextWithUnit, newUnit, relabel, type UnitOption } from "./design";
import { NumberField } from "./NumberField";

export type UnitEditorProps = {
  kind: FreeTextWithUnit;
  onChange: (kind: FreeTextWithUnit) => void;
  errorFor: (field: string) => string | undefined;
};

/** A number with a unit: the units, where the unit sits, the one chosen at first, and bounds. */
export function UnitEditor({ kind, onChange, errorFor }: UnitEditorProps) {
  // The default unit names a unit by its value: when that value changes (or the unit goes),
  // the default follows, so renaming a unit never leaves the default pointing at nothing.
  const setUnit = (index: number, unit: UnitOption) => {
    const old = kind.units[index];
    const units = kind.units.map((current, at) => (at === index ? unit : current));
    const defaultUnit = old && kind.defaultUnit === old.value ? unit.value : kind.defaultUnit;
    onChange({ ...kind, units, defaultUnit });
  };
  const removeUnit = (index: number) => {
    const old = kind.units[index];
    const units = kind.units.filter((_, at) => at !== index);
    onChange({ ...kind, units, defaultUnit: old && kind.defaultUnit === old.value ? null : kind.defaultUnit });
  };

  return (
    <Stack gap="sm">
      <Input.Wrapper label="Units to choose from" labelElement="div" error={errorFor("units")}>
        <Stack gap="xs" mt={4}>
          {kind.units.map((unit, index) => {
            const name = unit.label || `unit ${index + 1}`;
            return (
              <Group key={index} gap="xs" align="flex-end" data-testid="unit">
                <TextInput
                  label={`Unit ${index + 1}`}
                  placeholder="For example: kg"
                  value={unit.label}
                  onChange={(event) => setUnit(index, relabel(unit, event.currentTarget.value))}
                  style={{ flex: 2 }}
                />
                <TextInput
                  label="Recorded in results as"
                  aria-label={`Unit ${index + 1} recorded in results as`}
                  value={unit.value}
                  onChange={(event) => setUnit(index, { ...unit, value: event.currentTarget.value })}
                  style={{ flex: 1 }}
                />
                <ActionIcon variant="subtle" color="red" aria-label={`Remove ${name}`} onClick={() => removeUnit(index)} mb={4}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            );
          })}
        </Stack>
        <Button
          mt="xs"
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange({ ...kind, units: [...kind.units, newUnit(kind.units)] })}
        >
          Add a unit
        </Button>
      </Input.Wrapper>

      <Input.Wrapper label="Where the unit goes" labelElement="div" error={errorFor("unitPosition")}>
        <div>
          <SegmentedControl
            mt={4}
            aria-label="Where the unit goes"
            value={kind.unitPosition}
            onChange={(value) => onChange({ ...kind, unitPosition: value === "prefix" ? "prefix" : "suffix" })}
            data={[
              { value: "prefix", label: "Before the number (£ 12)" },
              { value: "suffix", label: "After the number (12 kg)" },
            ]}
          />
        </div>
      </Input.Wrapper>

      <NativeSelect
        label="Unit chosen at first"
        value={kind.defaultUnit ?? ""}
        onChange={(event) => onChange({ ...kind, defaultUnit: event.currentTarget.value || null })}
        data={[
          { value: "", label: "None: the participant chooses" },
          ...kind.units.map((unit, index) => ({ value: unit.value, label: unit.label || `Unit ${index + 1}` })),
        ]}
        error={errorFor("defaultUnit")}
      />

      <Group grow align="flex-start">
        <NumberField
          label="Smallest number allowed"
          description="Empty: no minimum"
          value={kind.minValue}
          onChange={(minValue) => onChange({ ...kind, minValue })}
          nullable
          error={errorFor("minValue")}
        />
        <NumberField
          label="Largest number allowed"
          description="Empty: no maximum"
          value={kind.maxValue}
          onChange={(maxValue) => onChange({ ...kind, maxValue })}
          nullable
          error={errorFor("maxValue")}
        />
      </Group>

      <TextInput
        label="Hint inside the number box (optional)"
        placeholder="For example: 0"
        value={kind.placeholder}
        onChange={(event) => onChange({ ...kind, placeholder: event.currentTarget.value })}
        error={errorFor("placeholder")}
      />
    </Stack>
  );
}
