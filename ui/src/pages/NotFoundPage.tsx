import { Anchor, Text } from "@mantine/core";
import { Link } from "react-router";

import { PlaceholderSection } from "./PlaceholderSection";

export function NotFoundPage() {
  return (
    <PlaceholderSection title="Nothing here" intro="This page does not exist in Batchdesk.">
      <Text>
        <Anchor component={Link} to="/">
          Go back to Home
        </Anchor>
      </Text>
    </PlaceholderSection>
  );
}
