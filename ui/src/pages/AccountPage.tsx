import { Text } from "@mantine/core";

import { PlaceholderSection } from "./PlaceholderSection";

export function AccountPage() {
  return (
    <PlaceholderSection
      title="Account"
      intro="Your Prolific connection: workspaces, projects and the balance available to spend."
    >
      <Text>No Prolific account is connected.</Text>
    </PlaceholderSection>
  );
}
