import { Alert, Card, Center, Group, SimpleGrid, Stack, Text, ThemeIcon, Title, UnstyledButton } from "@mantine/core";
import { IconAlertTriangle, IconFlask, IconPlugConnected } from "@tabler/icons-react";
import { useState } from "react";

import { ConnectForm } from "../connect/ConnectForm";
import { useStartPractice } from "../queries";
import classes from "./WelcomePage.module.css";

/** The first screen: practise without an account, or connect one. */
export function WelcomePage() {
  const [connecting, setConnecting] = useState(false);
  const practice = useStartPractice();

  return (
    <Center mih="100vh" p="lg">
      <Stack maw={720} w="100%" gap="lg">
        <Group gap="sm">
          <img src="/logo.png" alt="" width={40} height={40} />
          <Title order={1}>Welcome to Batchdesk</Title>
        </Group>
        <Text c="dimmed">
          Run annotation jobs on Prolific from a spreadsheet. How would you like to start?
        </Text>
        {connecting ? (
          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="md">
              Connect my Prolific account
            </Title>
            <ConnectForm onCancel={() => setConnecting(false)} />
          </Card>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <UnstyledButton
              className={classes.choice}
              onClick={() => practice.mutate()}
              disabled={practice.isPending}
              data-testid="choose-practice"
            >
              <ThemeIcon size="xl" variant="light" color="orange" mb="sm">
                <IconFlask aria-hidden />
              </ThemeIcon>
              <Text fw={700} size="lg">
                Practice first
              </Text>
              <Text size="sm" c="dimmed" mt={4}>
                No account, nothing is spent. A simulation of Prolific with simulated participants,
                to rehearse a whole batch.
              </Text>
            </UnstyledButton>
            <UnstyledButton className={classes.choice} onClick={() => setConnecting(true)} data-testid="choose-connect">
              <ThemeIcon size="xl" variant="light" mb="sm">
                <IconPlugConnected aria-hidden />
              </ThemeIcon>
              <Text fw={700} size="lg">
                Connect my Prolific account
              </Text>
              <Text size="sm" c="dimmed" mt={4}>
                Use your workspaces and balance. You will need an API token from Prolific.
              </Text>
            </UnstyledButton>
          </SimpleGrid>
        )}
        {practice.isError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
            {practice.error.message}
          </Alert>
        )}
      </Stack>
    </Center>
  );
}
