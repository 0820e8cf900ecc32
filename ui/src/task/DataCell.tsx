import { Image, Stack, Text } from "@mantine/core";

import { useTranslation } from "../i18n";
import type { DataColumn } from "./design";

/** The cell's address when it is an absolute https:// link, else null (http, javascript:, data:, text). */
export function httpsUrl(cell: string): string | null {
  const trimmed = cell.trim();
  if (!/^https:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * One CSV cell as a participant sees it. A cell is data, never markup: it is always a
 * React text node (so `<script>` or `<img onerror>` in a cell is just shown as
 * characters), except that a cell of an image column that holds an https:// link
 * becomes an <img> with that link as its only source. Anything else stays text.
 */
export function DataCell({ column, name, cell }: { column: DataColumn | undefined; name: string; cell: string }) {
  const { t } = useTranslation("task");
  const src = column?.imageUrls ? httpsUrl(cell) : null;
  return (
    <Stack gap={4} data-testid="data-cell">
      <Text size="xs" c="dimmed" fw={600}>
        {name}
      </Text>
      {src ? (
        // No referrer: the image's host learns nothing about where it is shown.
        <Image src={src} alt={name} referrerPolicy="no-referrer" loading="lazy" maw="100%" fit="contain" radius="sm" />
      ) : cell === "" ? (
        <Text size="sm" c="dimmed" fs="italic">
          {t("cell.empty")}
        </Text>
      ) : (
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {cell}
        </Text>
      )}
    </Stack>
  );
}
