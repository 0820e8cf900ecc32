import { Button, Group, Stack, TagsInput, Text } from "@mantine/core";

import { DEFAULT_FILE_TYPES, type FileUpload } from "./design";
import { NumberField } from "./NumberField";

export type FileUploadEditorProps = {
  kind: FileUpload;
  onChange: (kind: FileUpload) => void;
  errorFor: (field: string) => string | undefined;
};

const presets: { label: string; types: string[] }[] = [
  { label: "Photos", types: DEFAULT_FILE_TYPES },
  { label: "Documents", types: [".pdf", ".doc", ".docx", ".txt"] },
  { label: "Sound", types: [".mp3", ".m4a", ".wav"] },
  { label: "Video", types: [".mp4", ".mov", ".webm"] },
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
  return (
    <Stack gap="sm">
      <TagsInput
        label="Kinds of file accepted"
        description="Type an ending such as .pdf and press Enter, or add a group below."
        value={kind.acceptedFileTypes}
        onChange={(types) => onChange({ ...kind, acceptedFileTypes: normalizeFileTypes(types) })}
        data={suggestions}
        splitChars={[",", " ", ";"]}
        clearable
        error={errorFor("acceptedFileTypes")}
      />
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          Add:
        </Text>
        {presets.map((preset) => (
          <Button
            key={preset.label}
            size="compact-xs"
            variant="light"
            aria-label={`Add ${preset.label.toLowerCase()} (${preset.types.join(" ")})`}
            onClick={() =>
              onChange({ ...kind, acceptedFileTypes: normalizeFileTypes([...kind.acceptedFileTypes, ...preset.types]) })
            }
          >
            {preset.label}
          </Button>
        ))}
      </Group>
      <Group grow align="flex-start">
        <NumberField
          label="Largest file (MB)"
          value={kind.maxFileSizeMb}
          onChange={(value) => value !== null && onChange({ ...kind, maxFileSizeMb: value })}
          min={1}
          allowNegative={false}
          error={errorFor("maxFileSizeMb")}
        />
        <NumberField
          label="Fewest files"
          value={kind.minFileCount}
          onChange={(value) => value !== null && onChange({ ...kind, minFileCount: value })}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          error={errorFor("minFileCount")}
        />
        <NumberField
          label="Most files"
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
