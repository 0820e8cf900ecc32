import { Badge, Group, Text } from "@mantine/core";

import { useTranslation } from "../i18n";
import type { DataColumn } from "./design";

/**
 * What happens to an image-link column in front of participants. Prolific shows images
 * from https:// links only, so anything else in the column stays text; say so here,
 * before the researcher finds out in the preview.
 */
export function ColumnBadges({ column }: { column: DataColumn | undefined }) {
  const { t } = useTranslation("task");
  if (!column) {
    return (
      <Badge size="sm" color="red" variant="light">
        {t("badges.notInData")}
      </Badge>
    );
  }
  const images = column.imageUrls;
  if (!images) return null;
  const textCells = images.http + images.notLinks;
  return (
    <Group gap={6} wrap="wrap">
      {images.allHttps ? (
        <Badge size="sm" color="teal" variant="light">
          {t("badges.image")}
        </Badge>
      ) : (
        images.https > 0 && (
          <Badge size="sm" color="yellow" variant="light">
            {t("badges.partlyImages")}
          </Badge>
        )
      )}
      {textCells > 0 && (
        <Text size="xs" c="orange.8" data-testid="image-warning">
          {images.http > 0 && t("badges.http", { count: images.http })}
          {images.notLinks > 0 && t("badges.notLinks", { count: images.notLinks })}
          {t("badges.asText", { count: textCells })}
        </Text>
      )}
    </Group>
  );
}
