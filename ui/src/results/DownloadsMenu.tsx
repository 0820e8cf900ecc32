import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconDownload, IconFolderOpen } from "@tabler/icons-react";
import { useId, useState } from "react";

import { t as translate, useTranslation } from "../i18n";
import { formatBytes } from "../format";
import { errorMessage } from "./words";
import type { DownloadKind, SavedFile } from "../backend";

export type DownloadsMenuProps = {
  /** Asks where to save and saves; null when the researcher cancelled the save dialog. */
  onSave: (kind: DownloadKind) => Promise<SavedFile | null>;
  onShowInFolder: (path: string) => Promise<unknown>;
};

/** The downloads, in the order offered, with what each holds in plain words. */
const downloadKinds: DownloadKind[] = ["tidy", "report", "export", "responses", "package"];

/** The downloads, in the order offered, with what each holds in plain words. */
export function downloads(): { kind: DownloadKind; title: string; description: string }[] {
  return downloadKinds.map((kind) => ({
    kind,
    title: translate(`results:downloads.kinds.${kind}.title`),
    description: translate(`results:downloads.kinds.${kind}.description`),
  }));
}

/** The last part of a path, whichever separator the system uses. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Saving the results to a file: five downloads, each saying what it holds. After a save
 * it says where the file went (and where the tidy CSV's column guide went) and offers to
 * show it; a cancelled save dialog says nothing.
 */
export function DownloadsMenu({ onSave, onShowInFolder }: DownloadsMenuProps) {
  const { t } = useTranslation("results");
  const baseId = useId();
  const [busy, setBusy] = useState<DownloadKind | null>(null);
  const [saved, setSaved] = useState<SavedFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  const save = async (kind: DownloadKind) => {
    setBusy(kind);
    setError(null);
    try {
      const file = await onSave(kind);
      if (file) setSaved(file);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  const show = async (path: string) => {
    setOpening(true);
    setError(null);
    try {
      await onShowInFolder(path);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setOpening(false);
    }
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby={`${baseId}-title`} data-testid="downloads">
      <Title order={3} id={`${baseId}-title`}>
        {t("downloads.title")}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {downloads().map(({ kind, title, description }) => (
          <Paper key={kind} withBorder p="sm">
            <Stack gap={6} align="flex-start">
              <Button
                variant="light"
                leftSection={<IconDownload size={18} aria-hidden />}
                loading={busy === kind}
                disabled={busy !== null && busy !== kind}
                aria-describedby={`${baseId}-${kind}`}
                onClick={() => void save(kind)}
                data-testid={`download-${kind}`}
              >
                {title}
              </Button>
              <Text size="sm" c="dimmed" id={`${baseId}-${kind}`}>
                {description}
              </Text>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>

      <div role="status" aria-live="polite">
        {saved && (
          <Group gap="sm" wrap="nowrap">
            <IconCircleCheck size={20} color="var(--mantine-color-teal-7)" aria-hidden />
            <Text size="sm" style={{ wordBreak: "break-all" }}>
              <span data-testid="saved-path">{t("downloads.savedTo", { path: saved.path })}</span>{" "}
              <Text span c="dimmed" size="sm">
                {t("downloads.size", { size: formatBytes(saved.bytes) })}
              </Text>
            </Text>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconFolderOpen size={16} aria-hidden />}
              loading={opening}
              onClick={() => void show(saved.path)}
              style={{ flexShrink: 0 }}
              data-testid="show-in-folder"
            >
              {t("downloads.showInFolder")}
            </Button>
          </Group>
        )}
        {saved?.guide && (
          <Text size="sm" c="dimmed" mt={4} title={saved.guide} data-testid="saved-guide">
            {t("downloads.guide", { name: fileName(saved.guide) })}
          </Text>
        )}
      </div>
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert" data-testid="download-error">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
