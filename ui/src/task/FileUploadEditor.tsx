import { Button, Group, Stack, TagsInput, Text } from "@mantine/core";

import { useTranslation } from "../i18n";
import { DEFAULT_FILE_TYPES, type FileUpload } from "./design";
import { NumberField } from "./NumberField";

export type FileUploadEditorProps = {
  kind: FileUpload;
  onChange: (kind: FileUpload) => void;
  errorFor: (field: string) => string | undefined;
};

const presets: { name: "photos" | "documents" | "sound" | "video"; types: string[] }[] = [
  { name: "photos", types: DEFAULT_FILE_TYPES },
  { name: "documents", types: [".pdf", ".doc", ".docx", ".txt"] },
  { name: "sound", types: [".mp3", ".m4a", ".wav"] },
  { name: "video", types: [".mp4", ".mov", ".webm"] },
];
const suggestions = [...new Set(presets.flatMap((preset) => preset.types))];

/** "pdf", "PDF" and ".pdf" all mean ".pdf": Prolific wants a lower-case extension with its dot. */
export function normalizeFileTypes(types: string[]): string[] {
  const cleaned = types
    .map((type) => type.trim().toLowerCase().replace(/^\*?\.?/, ""))
    .filter((type) => type.length > 0)
    .map((type) => `.${type}`);
  return [...new Set(cleaned)];
}

/** A file upload: which kinds of file, how large, and how many. */
export function FileUploadEditor({ kind, onChange, errorFor }: FileUploadEditorProps) {
  const { t } = useTranslation("task");
  return (
    <Stack gap="sm">
      <TagsInput
        label={t("fileUpload.kinds")}
        description={t("fileUpload.kindsDescription")}
        value={kind.acceptedFileTypes}
        onChange={(types) => onChange({ ...kind, acceptedFileTypes: normalizeFileTypes(types) })}
        data={suggestions}
        splitChars={[",", " ", ";"]}
        clearable
        error={errorFor("acceptedFileTypes")}
      />
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          {t("fileUpload.add")}
        </Text>
        {presets.map((preset) => (
          <Button
            key={preset.name}
            size="compact-xs"
            variant="light"
            aria-label={t(`fileUpload.presets.${preset.name}Add`, { types: preset.types.join(" ") })}
            onClick={() =>
              onChange({ ...kind, acceptedFileTypes: normalizeFileTypes([...kind.acceptedFileTypes, ...preset.types]) })
            }
          >
            {t(`fileUpload.presets.${preset.name}`)}
          </Button>
        ))}
      </Group>
      <Group grow align="flex-start">
        <NumberField
          label={t("fileUpload.largest")}
          value={kind.maxFileSizeMb}
          onChange={(value) => value !== null && onChange({ ...kind, maxFileSizeMb: value })}
          min={1}
          allowNegative={false}
          error={errorFor("maxFileSizeMb")}
        />
        <NumberField
          label={t("fileUpload.fewest")}
          value={kind.minFileCount}
          onChange={(value) => value !== null && onChange({ ...kind, minFileCount: value })}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          error={errorFor("minFileCount")}
        />
        <NumberField
          label={t("fileUpload.most")}
          value={kind.maxFileCount}
          onChange={(value) => value !== null && onChange({ ...kind, maxFileCount: value })}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          error={errorFor("maxFileCount")}
        />
      </Group>
    </Stack>
  );
}
