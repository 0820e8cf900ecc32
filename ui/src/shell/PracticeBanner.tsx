import { Anchor, Group, Text } from "@mantine/core";
import { IconFlask } from "@tabler/icons-react";
import { Link } from "react-router";

import { useTranslation } from "../i18n";
import classes from "./AppLayout.module.css";

/** Always on screen in practice mode, so nobody mistakes the simulation for Prolific. */
export function PracticeBanner() {
  const { t } = useTranslation("shell");
  return (
    <Group className={classes.practiceBanner} gap="xs" justify="center" role="status" data-testid="practice-banner">
      <IconFlask size={18} aria-hidden />
      <Text size="sm" fw={600}>
        {t("practiceBanner")}
      </Text>
      <Anchor component={Link} to="/account" size="sm" fw={600} c="inherit" td="underline">
        {t("connectMyAccount")}
      </Anchor>
    </Group>
  );
}
