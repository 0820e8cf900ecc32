import { Alert, Button, Group, Progress, ScrollArea, Stack, Text } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useState } from "react";
import { useLocation } from "react-router";

import type { UpdateOffer as Offer, UpdateProgress } from "../backend";
import { formatNumber, formatPercent } from "../format";
import { t as translate, useTranslation } from "../i18n";
import { useInstallUpdate, useUpdateCheck, useUpdateSettings } from "../queries";
import { ErrorNotice } from "./ErrorNotice";

function progressLabel(progress: UpdateProgress | null): { text: string; percent: number | undefined } {
  if (!progress) return { text: translate("shell:updates.starting"), percent: undefined };
  switch (progress.stage) {
    case "downloading": {
      const downloaded = progress.downloaded ?? 0;
      const percent = progress.total ? Math.min(100, Math.round((downloaded / progress.total) * 100)) : undefined;
      const megabytes = formatNumber(downloaded / (1024 * 1024), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
      const text =
        percent === undefined
          ? translate("shell:updates.downloadingMegabytes", { megabytes })
          : translate("shell:updates.downloadingPercent", { percent: formatPercent(percent / 100) });
      return { text, percent };
    }
    case "installing":
      return { text: translate("shell:updates.installing"), percent: 100 };
    case "restarting":
      return { text: translate("shell:updates.restarting"), percent: 100 };
  }
}

/**
 * A newer Batchdesk: what changed (the release notes), and "Install and restart" with
 * the download's progress. Nothing is downloaded until the researcher clicks.
 */
export function UpdateOfferCard({ offer, onLater }: { offer: Offer; onLater?: () => void }) {
  const { t } = useTranslation("shell");
  const [progress, setProgress] = useState<UpdateProgress | null>(null);
  const install = useInstallUpdate(setProgress, { onMutate: () => setProgress(null) });
  const { text, percent } = progressLabel(progress);
  return (
    <Alert
      color="blue"
      variant="light"
      icon={<IconDownload aria-hidden />}
      title={t("updates.available", { version: offer.version })}
      data-testid="update-offer"
    >
      <Stack gap="sm">
        <Text size="sm">
          {t("updates.youHave", { version: offer.currentVersion })}
        </Text>
        {offer.notes && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t("updates.whatsNew")}
            </Text>
            <ScrollArea.Autosize mah={160} type="auto">
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }} data-testid="update-notes">
                {offer.notes}
              </Text>
            </ScrollArea.Autosize>
          </Stack>
        )}
        {install.isPending || install.isSuccess ? (
          <Stack gap={4} aria-live="polite" data-testid="update-progress">
            <Text size="sm">{text}</Text>
            <Progress value={percent ?? 100} animated={percent === undefined} aria-label={t("updates.installingLabel")} />
          </Stack>
        ) : (
          <Group gap="xs">
            <Button size="xs" onClick={() => install.mutate()} data-testid="install-update">
              {t("updates.install")}
            </Button>
            {onLater && (
              <Button size="xs" variant="default" onClick={onLater}>
                {t("updates.later")}
              </Button>
            )}
          </Group>
        )}
        {install.isError && <ErrorNotice title={t("updates.notInstalled")} error={install.error} />}
      </Stack>
    </Alert>
  );
}

/**
 * The check at start: when this build updates itself and the researcher left the check
 * on, a newer version is offered at the top of the window. A failed check says nothing
 * here (the researcher may be offline); "Check now" on the Account page does.
 */
export function UpdateNotice() {
  // The Account page shows the update itself, beside its settings.
  const onAccountPage = useLocation().pathname.startsWith("/account");
  const settings = useUpdateSettings();
  const automatic = Boolean(settings.data?.available && settings.data.checkAtStart);
  const check = useUpdateCheck(automatic);
  const [later, setLater] = useState<string | null>(null);
  const offer = check.data;
  if (!offer || later === offer.version || onAccountPage) return null;
  return <UpdateOfferCard offer={offer} onLater={() => setLater(offer.version)} />;
}
