import { Button, FileButton, Group, Input, NativeSelect, NumberInput, Paper, Stack, Text, Textarea } from "@mantine/core";
import { useId } from "@mantine/hooks";
import { IconUpload } from "@tabler/icons-react";
import { useState } from "react";

import { useTranslation } from "../i18n";
import type { FileUpload, FreeText, FreeTextWithUnit, Question } from "./design";
import { PreviewChoice } from "./PreviewChoice";

type Labelled = { label: string; description: string };

function PreviewFreeText({ kind, label, description }: Labelled & { kind: FreeText }) {
  const { t } = useTranslation("task");
  const [text, setText] = useState("");
  const limits = [
    kind.minLength !== null && t("preview.atLeast", { count: kind.minLength }),
    kind.maxLength !== null && t("preview.atMost", { count: kind.maxLength }),
  ].filter(Boolean);
  return (
    <Stack gap={4}>
      <Textarea
        label={label}
        description={description || undefined}
        placeholder={kind.placeholder || undefined}
        autosize
        minRows={3}
        maxLength={kind.maxLength ?? undefined}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
      />
      <Text size="xs" c="dimmed" data-testid="character-count">
        {t("preview.characters", { count: text.length })}
        {limits.length > 0 && t("preview.limits", { limits: limits.join(", ") })}
      </Text>
    </Stack>
  );
}

function PreviewUnit({ kind, label, description }: Labelled & { kind: FreeTextWithUnit }) {
  const { t } = useTranslation("task");
  const id = useId();
  const [unit, setUnit] = useState(kind.defaultUnit ?? "");
  const only = kind.units.length === 1 ? kind.units[0] : undefined;
  const unitControl = only ? (
    <Text size="sm" fw={600}>
      {only.label}
    </Text>
  ) : (
    <NativeSelect
      aria-label={t("preview.unitFor", { label })}
      value={unit}
      onChange={(event) => setUnit(event.currentTarget.value)}
      data={[
        ...(kind.defaultUnit === null ? [{ value: "", label: t("preview.unitPlaceholder") }] : []),
        ...kind.units.map((option, index) => ({ value: option.value || String(index), label: option.label })),
      ]}
      w={120}
    />
  );
  const number = (
    <NumberInput
      id={id}
      placeholder={kind.placeholder || undefined}
      min={kind.minValue ?? undefined}
      max={kind.maxValue ?? undefined}
      w={180}
    />
  );
  return (
    <Input.Wrapper id={id} label={label} description={description || undefined}>
      <Group gap="xs" mt={4} data-testid="unit-input" data-position={kind.unitPosition}>
        {kind.unitPosition === "prefix" ? unitControl : number}
        {kind.unitPosition === "prefix" ? number : unitControl}
      </Group>
    </Input.Wrapper>
  );
}

function PreviewFileUpload({ kind, label, description }: Labelled & { kind: FileUpload }) {
  const { t } = useTranslation("task");
  const count =
    kind.minFileCount === kind.maxFileCount
      ? t("preview.files", { count: kind.maxFileCount })
      : t("preview.filesRange", { min: kind.minFileCount, max: kind.maxFileCount });
  return (
    <Input.Wrapper label={label} labelElement="div" description={description || undefined}>
      <Paper withBorder p="lg" mt={4} style={{ borderStyle: "dashed" }} data-testid="file-drop-zone">
        <Stack align="center" gap={6}>
          <IconUpload size={28} stroke={1.4} aria-hidden />
          <Text size="sm">{t("preview.dropFiles")}</Text>
          {/* Files chosen in the preview are not read or kept. */}
          <FileButton onChange={() => undefined} accept={kind.acceptedFileTypes.join(",")} multiple>
            {(props) => (
              <Button {...props} size="xs" variant="light">
                {t("preview.chooseFiles")}
              </Button>
            )}
          </FileButton>
          <Text size="xs" c="dimmed">
            {t("preview.fileLimits", { types: kind.acceptedFileTypes.join(", "), size: kind.maxFileSizeMb, count })}
          </Text>
        </Stack>
      </Paper>
    </Input.Wrapper>
  );
}

/** One question as a real form control of its type; what is entered is never kept. */
export function PreviewQuestion({ question, number }: { question: Question; number: number }) {
  const { t } = useTranslation("task");
  const props = { label: question.description || t("preview.question", { number }), description: question.helperText };
  const { kind } = question;
  switch (kind.type) {
    case "multipleChoice":
    case "multipleChoiceWithFreeText":
      return <PreviewChoice kind={kind} explain={kind.type === "multipleChoiceWithFreeText"} {...props} />;
    case "freeText":
      return <PreviewFreeText kind={kind} {...props} />;
    case "freeTextWithUnit":
      return <PreviewUnit kind={kind} {...props} />;
    case "fileUpload":
      return <PreviewFileUpload kind={kind} {...props} />;
  }
}
