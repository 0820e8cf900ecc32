import { Button, Center, Loader, Stack } from "@mantine/core";
import { Outlet } from "react-router";

import { WelcomePage } from "../pages/WelcomePage";
import { useTranslation } from "../i18n";
import { useConnection } from "../queries";
import { ErrorNotice } from "./ErrorNotice";

/** Shows the welcome screen until the researcher has chosen practice or an account. */
export function ConnectionGate() {
  const { t } = useTranslation(["shell", "common"]);
  const connection = useConnection();
  if (connection.isPending) {
    return (
      <Center mih="100vh">
        <Loader role="status" aria-label={t("connecting")} />
      </Center>
    );
  }
  if (connection.isError) {
    return (
      <Center mih="100vh" p="lg">
        <Stack maw={560}>
          <ErrorNotice title={t("couldNotReconnect")} error={connection.error} />
          <Button onClick={() => void connection.refetch()} loading={connection.isFetching}>
            {t("common:tryAgain")}
          </Button>
        </Stack>
      </Center>
    );
  }
  if (connection.data === null) {
    return <WelcomePage />;
  }
  return <Outlet />;
}
