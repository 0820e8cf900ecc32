import { Anchor, Text } from "@mantine/core";
import { Link } from "react-router";

import { useTranslation } from "../i18n";
import { PlaceholderSection } from "./PlaceholderSection";

export function NotFoundPage() {
  const { t } = useTranslation("pages");
  return (
    <PlaceholderSection title={t("notFound.title")} intro={t("notFound.intro")}>
      <Text>
        <Anchor component={Link} to="/">
          {t("notFound.backHome")}
        </Anchor>
      </Text>
    </PlaceholderSection>
  );
}
