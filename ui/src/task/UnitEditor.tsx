import { ActionIcon, Button, Group, Input, NativeSelect, SegmentedControl, Stack, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";

import { useTranslation } from "../i18n";
import { type FreeTextWithUnit, newUnit, relabel, type UnitOption } from "./design";
import { NumberField } from "./NumberField";

export type UnitEditorProps = {
  kind: FreeTextWithUnit;
  onChange: (kind: FreeTextWithUnit) => void;
  errorFor: (field: string) => string | undefined;
};

/** A number with a unit: the units, where the unit sits, the one chosen at first, and bounds. */
export function UnitEditor({ kind, onChange, errorFor }: UnitEditorProps) {
  const { t } = useTranslation("task");
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
      <Input.Wrapper label={t("units.label")} labelElement="div" error={errorFor("units")}>
        <Stack gap="xs" mt={4}>
          {kind.units.map((unit, index) => {
            const name = unit.label || t("units.unnamed", { number: index + 1 });
            return (
              <Group key={index} gap="xs" align="flex-end" data-testid="unit">
                <TextInput
                  label={t("units.unit", { number: index + 1 })}
                  placeholder={t("units.example")}
                  value={unit.label}
                  onChange={(event) => setUnit(index, relabel(unit, event.currentTarget.value))}
                  style={{ flex: 2 }}
                />
                <TextInput
                  label={t("options.recordedAs")}
                  aria-label={t("units.recordedAsFor", { number: index + 1 })}
                  value={unit.value}
                  onChange={(event) => setUnit(index, { ...unit, value: event.currentTarget.value })}
                  style={{ flex: 1 }}
                />
                <ActionIcon variant="subtle" color="red" aria-label={t("units.remove", { name })} onClick={() => removeUnit(index)} mb={4}>
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
          {t("units.add")}
        </Button>
      </Input.Wrapper>

      <Input.Wrapper label={t("units.position")} labelElement="div" error={errorFor("unitPosition")}>
        <div>
          <SegmentedControl
            mt={4}
            aria-label={t("units.position")}
            value={kind.unitPosition}
            onChange={(value) => onChange({ ...kind, unitPosition: value === "prefix" ? "prefix" : "suffix" })}
            data={[
              { value: "prefix", label: t("units.prefix") },
              { value: "suffix", label: t("units.suffix") },
            ]}
          />
        </div>
      </Input.Wrapper>

      <NativeSelect
        label={t("units.default")}
        value={kind.defaultUnit ?? ""}
        onChange={(event) => onChange({ ...kind, defaultUnit: event.currentTarget.value || null })}
        data={[
          { value: "", label: t("units.none") },
          ...kind.units.map((unit, index) => ({ value: unit.value, label: unit.label || t("units.unit", { number: index + 1 }) })),
        ]}
        error={errorFor("defaultUnit")}
      />

      <Group grow align="flex-start">
        <NumberField
          label={t("units.smallest")}
          description={t("freeText.noMinimum")}
          value={kind.minValue}
          onChange={(minValue) => onChange({ ...kind, minValue })}
          nullable
          error={errorFor("minValue")}
        />
        <NumberField
          label={t("units.largest")}
          description={t("freeText.noMaximum")}
          value={kind.maxValue}
          onChange={(maxValue) => onChange({ ...kind, maxValue })}
          nullable
          error={errorFor("maxValue")}
        />
      </Group>

      <TextInput
        label={t("units.hint")}
        placeholder={t("units.hintExample")}
        value={kind.placeholder}
        onChange={(event) => onChange({ ...kind, placeholder: event.currentTarget.value })}
        error={errorFor("placeholder")}
      />
    </Stack>
  );
}
