import { MantineProvider } from "@mantine/core";
import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { HashRouter, Route, Routes } from "react-router";

import { HomePage } from "./pages/HomePage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { setFormatLocale } from "./format";
import { queryKeys, useAppInfo } from "./queries";
import { AppLayout } from "./shell/AppLayout";
import { ScreenLoading } from "./shell/ScreenLoading";
import { ConnectionGate } from "./shell/ConnectionGate";
import { ExternalLinkGuard } from "./shell/ExternalLinks";
import { colorSchemeManager, cssVariablesResolver, theme } from "./theme";

// Home is what every start shows, so it is in the first bundle. Every other screen's code
// (the rich-text editor, the results tables and charts) is loaded when it is first opened:
// an idle app keeps only what it shows in memory (issue 21's release benchmark).
const NewBatchPage = lazy(() => import("./pages/NewBatchPage").then((m) => ({ default: m.NewBatchPage })));
const BatchesPage = lazy(() => import("./pages/BatchesPage").then((m) => ({ default: m.BatchesPage })));
const StudyPage = lazy(() => import("./pages/StudyPage").then((m) => ({ default: m.StudyPage })));
const AccountPage = lazy(() => import("./pages/AccountPage").then((m) => ({ default: m.AccountPage })));

export function createQueryClient() {
  const client: QueryClient = new QueryClient({
    // After any action, ask whether Prolific marked an endpoint it called as going away.
    mutationCache: new MutationCache({
      onSettled: () => client.invalidateQueries({ queryKey: queryKeys.account.apiNotices }),
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

/** A screen whose code loads on first use, with a named progress indicator meanwhile. */
function Screen({ children }: { children: ReactNode }) {
  return <Suspense fallback={<ScreenLoading />}>{children}</Suspense>;
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
                <Route path="new" element={<Screen><NewBatchPage /></Screen>} />
                <Route path="batches" element={<Screen><BatchesPage /></Screen>} />
                <Route path="batches/:studyId" element={<Screen><StudyPage /></Screen>} />
                <Route path="account" element={<Screen><AccountPage /></Screen>} />
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
