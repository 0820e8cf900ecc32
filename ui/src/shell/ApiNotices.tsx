import { Alert, Stack } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

import { say, useTranslation } from "../i18n";
import { useApiNotices, useCloseApiNotice, useConnection } from "../queries";

/**
 * Prolific's word that an endpoint Batchdesk calls will stop working: Rust hands each
 * out once ever, and it stays here until the researcher closes it.
 */
export function ApiNotices() {
  const { t } = useTranslation("shell");
  const connected = useConnection().data?.mode != null;
  const notices = useApiNotices(connected).data ?? [];
  const close = useCloseApiNotice();
  if (notices.length === 0) return null;
  return (
    <Stack gap="xs" mb="md">
      {notices.map((notice) => (
        <Alert
          key={notice.endpoint}
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t("apiNotice.title")}
          withCloseButton
          closeButtonLabel={t("apiNotice.close")}
          onClose={() => close(notice.endpoint)}
          data-testid="api-notice"
        >
          {say(notice.message)}
        </Alert>
      ))}
    </Stack>
  );
}
