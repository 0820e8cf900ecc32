import { MantineProvider } from "@mantine/core";
import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { HashRouter, Route, Routes } from "react-router";

import { AccountPage } from "./pages/AccountPage";
import { BatchesPage } from "./pages/BatchesPage";
import { StudyPage } from "./pages/StudyPage";
import { HomePage } from "./pages/HomePage";
import { NewBatchPage } from "./pages/NewBatchPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { setFormatLocale } from "./format";
import { queryKeys, useAppInfo } from "./queries";
import { AppLayout } from "./shell/AppLayout";
import { ConnectionGate } from "./shell/ConnectionGate";
import { ExternalLinkGuard } from "./shell/ExternalLinks";
import { colorSchemeManager, cssVariablesResolver, theme } from "./theme";

export function createQueryClient() {
  const client: QueryClient = new QueryClient({
    // After any action, ask whether Prolific marked an endpoint it called as going away.
    mutationCache: new MutationCache({
      onSettled: () => client.invalidateQueries({ queryKey: queryKeys.apiNotices }),
    }),
    defaultOptions: {
      queries: {
        // Data comes from Rust on this machine: a failure will not go away by itself
        // in a second, and Rust already retries what is worth retrying.
        retry: false,
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}

/**
 * Renders the app once Rust has said which locale the OS formats numbers, money and
 * dates for (`AppInfo.formatLocale`), so nothing is ever shown in another format first.
 * If Rust cannot say, the webview's own locale is used.
 */
function OsFormats({ children }: { children: ReactNode }) {
  const info = useAppInfo();
  if (info.isPending) return null;
  setFormatLocale(info.data?.formatLocale);
  return children;
}

export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    // Until the researcher picks light or dark (in the navigation), "auto" follows the
    // operating system's setting as it changes. The choice is remembered on this computer.
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="auto"
      colorSchemeManager={colorSchemeManager}
    >
      <QueryClientProvider client={client}>
        <OsFormats>
          <ExternalLinkGuard />
          <HashRouter>
          <Routes>
            <Route element={<ConnectionGate />}>
              <Route element={<AppLayout />}>
                <Route index element={<HomePage />} />
                <Route path="new" element={<NewBatchPage />} />
                <Route path="batches" element={<BatchesPage />} />
                <Route path="batches/:studyId" element={<StudyPage />} />
                <Route path="account" element={<AccountPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Route>
          </Routes>
          </HashRouter>
        </OsFormats>
      </QueryClientProvider>
    </MantineProvider>
  );
}
