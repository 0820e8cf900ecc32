import { Group, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

import { t } from "../i18n";
import classes from "./AppLayout.module.css";

/** The sentence that names an API address other than Prolific's usual one. */
export function unusualAddressSentence(address: string) {
  return t("shell:unusualAddress", { address });
}

/**
 * Always on screen while the account is reached at another address (set with
 * BATCHDESK_API_BASE_URL), so nobody takes a test server for Prolific, or the reverse.
 */
export function UnusualAddressBanner({ address }: { address: string }) {
  return (
    <Group
      className={classes.unusualAddressBanner}
      gap="xs"
      justify="center"
      role="status"
      data-testid="unusual-address-banner"
    >
      <IconAlertTriangle size={18} aria-hidden />
      <Text size="sm" fw={600}>
        {unusualAddressSentence(address)}
      </Text>
    </Group>
  );
}
