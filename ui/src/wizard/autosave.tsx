import { Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import type { UseMutationResult } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import type { BackendError } from "../backend";
import { useTranslation } from "../i18n";
import { ErrorNotice } from "../shell/ErrorNotice";

export type Autosave<T> = {
  /** The value as it was when editing last paused: the one saved (or being saved). */
  settled: T | null;
  /** Saving while editing goes on or a save is under way; failed until a later save succeeds. */
  status: "saving" | "saved" | "failed";
  error: BackendError | null;
};

/**
 * Saves `value` with `save` once editing pauses for `delayMs`, and on leaving (unmount)
 * saves what was typed in the last moments, so quitting loses nothing. `null` is
 * nothing to save yet. Every step that saves as the researcher works uses this, and
 * shows where it stands with `AutosaveState`.
 */
export function useAutosave<T, R>(
  value: T | null,
  save: UseMutationResult<R, BackendError, T>,
  delayMs: number,
): Autosave<T> {
  const [settled] = useDebouncedValue(value, delayMs);
  const { mutate } = save;
  const lastSent = useRef<T | null>(null);
  useEffect(() => {
    if (settled === null) return;
    lastSent.current = settled;
    mutate(settled);
  }, [settled, mutate]);

  // Leaving the step saves what was typed since editing last paused.
  const latest = useRef(value);
  useEffect(() => {
    latest.current = value;
  }, [value]);
  useEffect(
    () => () => {
      if (latest.current !== null && latest.current !== lastSent.current) mutate(latest.current);
    },
    [mutate],
  );

  const status = save.isPending || value !== settled ? "saving" : save.isError ? "failed" : "saved";
  return { settled, status, error: status === "failed" ? save.error : null };
}

/** Where the autosave stands, in words (read out politely), and why the last save failed. */
export function AutosaveState({ autosave }: { autosave: Autosave<unknown> }) {
  const { t } = useTranslation("wizard");
  return (
    <Text size="sm" c="dimmed" aria-live="polite" data-testid="save-state">
      {autosave.status === "saving" ? t("autosave.saving") : autosave.status === "saved" ? t("autosave.saved") : ""}
    </Text>
  );
}

/** Why the last save failed, if it did. */
export function AutosaveError({ autosave }: { autosave: Autosave<unknown> }) {
  const { t } = useTranslation("wizard");
  return autosave.error && <ErrorNotice title={t("autosave.failed")} error={autosave.error} />;
}
