import { Alert, Card, Center, Group, SimpleGrid, Stack, Text, ThemeIcon, Title, UnstyledButton } from "@mantine/core";
import { IconAlertTriangle, IconFlask, IconPlugConnected } from "@tabler/icons-react";
import { useState } from "react";

import { ConnectForm } from "../connect/ConnectForm";
import { useTranslation } from "../i18n";
import { useStartPractice } from "../queries";
import classes from "./WelcomePage.module.css";

/** The first screen: practise without an account, or connect one. */
export function WelcomePage() {
  const { t } = useTranslation("pages");
  const [connecting, setConnecting] = useState(false);
  const practice = useStartPractice();

  return (
    <Center mih="100vh" p="lg">
      <Stack maw={720} w="100%" gap="lg">
        <Group gap="sm">
          <img src="/logo.png" alt="" width={40} height={40} />
          <Title order={1}>{t("welcome.title")}</Title>
        </Group>
        <Text c="dimmed">
          {t("welcome.intro")}
        </Text>
        {connecting ? (
          <Card withBorder padding="lg">
            <Title order={2} size="h4" mb="md">
              {t("welcome.connectTitle")}
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
                {t("welcome.practiceTitle")}
              </Text>
              <Text size="sm" c="dimmed" mt={4}>
                {t("welcome.practiceIntro")}
              </Text>
            </UnstyledButton>
            <UnstyledButton className={classes.choice} onClick={() => setConnecting(true)} data-testid="choose-connect">
              <ThemeIcon size="xl" variant="light" mb="sm">
                <IconPlugConnected aria-hidden />
              </ThemeIcon>
              <Text fw={700} size="lg">
                {t("welcome.connectTitle")}
              </Text>
              <Text size="sm" c="dimmed" mt={4}>
                {t("welcome.connectIntro")}
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
