import { Badge, Group, Text } from "@mantine/core";

import type { DataColumn } from "./design";

/**
 * What happens to an image-link column in front of participants. Prolific shows images
 * from https:// links only, so anything else in the column stays text; say so here,
 * before the researcher finds out in the preview.
 */
export function ColumnBadges({ column }: { column: DataColumn | undefined }) {
  if (!column) {
    return (
      <Badge size="sm" color="red" variant="light">
        not in your data
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
          shown as an image
        </Badge>
      ) : (
        images.https > 0 && (
          <Badge size="sm" color="yellow" variant="light">
            partly shown as images
          </Badge>
        )
      )}
      {textCells > 0 && (
        <Text size="xs" c="orange.8" data-testid="image-warning">
          {images.http > 0 &&
            `${images.http.toLocaleString()} ${images.http === 1 ? "link starts" : "links start"} with http:// instead of https://. `}
          {images.notLinks > 0 &&
            `${images.notLinks.toLocaleString()} ${images.notLinks === 1 ? "cell is not a web link" : "cells are not web links"}. `}
          {textCells === 1 ? "It shows" : "These show"} as text, not as an image.
        </Text>
      )}
    </Group>
  );
}
