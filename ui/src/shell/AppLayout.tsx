import { AppShell, Group, Kbd, NavLink, Text, Title, UnstyledButton } from "@mantine/core";
import { useHotkeys, useOs } from "@mantine/hooks";
import { useRef } from "react";
import { Outlet, useLocation, useNavigate } from "react-router";

import { useTranslation } from "../i18n";
import { useConnection } from "../queries";
import { sections } from "./navigation";
import { ApiNotices } from "./ApiNotices";
import { ColorSchemeControl } from "./ColorSchemeControl";
import { OpenedFileListener } from "./OpenedFiles";
import { PracticeBanner } from "./PracticeBanner";
import { ScreenErrorBoundary } from "./ScreenErrorBoundary";
import { UnusualAddressBanner } from "./UnusualAddressBanner";
import { UpdateNotice } from "./UpdateOffer";
import classes from "./AppLayout.module.css";

export function AppLayout() {
  const { t } = useTranslation("shell");
  const location = useLocation();
  const navigate = useNavigate();
  const main = useRef<HTMLElement>(null);
  const os = useOs();
  const modifier = os === "macos" ? "⌘" : "Ctrl";
  const connection = useConnection().data;
  const practising = connection?.mode === "practice";
  const unusualAddress = connection?.unusualAddress ?? null;

  useHotkeys(
    sections.map((section) => [
      `mod+${section.shortcut}`,
      () => {
        void navigate(section.path);
        main.current?.focus();
      },
    ]),
  );

  return (
    <AppShell
      navbar={{ width: 232, breakpoint: 0 }}
      header={practising || unusualAddress ? { height: 40 } : undefined}
      padding="lg"
    >
      <UnstyledButton
        className={classes.skipLink}
        onClick={() => main.current?.focus()}
      >
        {t("skipToContent")}
      </UnstyledButton>
      {practising && (
        <AppShell.Header withBorder={false}>
          <PracticeBanner />
        </AppShell.Header>
      )}
      {unusualAddress && (
        <AppShell.Header withBorder={false}>
          <UnusualAddressBanner address={unusualAddress} />
        </AppShell.Header>
      )}
      <AppShell.Navbar p="sm" aria-label={t("mainNavigation")}>
        <Group gap="xs" px="xs" py="md">
          <img src="/logo.png" alt="" width={28} height={28} />
          <Title order={1} size="h4">
            Batchdesk
          </Title>
        </Group>
        <AppShell.Section grow component="nav" aria-label={t("sectionsNavigation")}>
          {sections.map((section) => {
            const active =
              section.path === "/"
                ? location.pathname === "/"
                : location.pathname.startsWith(section.path);
            return (
              <NavLink
                key={section.path}
                href={`#${section.path}`}
                label={section.label()}
                leftSection={<section.icon size={18} stroke={1.6} aria-hidden />}
                rightSection={
                  <Text span size="xs" c="dimmed" aria-hidden>
                    <Kbd size="xs">{modifier}</Kbd> <Kbd size="xs">{section.shortcut}</Kbd>
                  </Text>
                }
                active={active}
                aria-current={active ? "page" : undefined}
                aria-keyshortcuts={`${os === "macos" ? "Meta" : "Control"}+${section.shortcut}`}
              />
            );
          })}
        </AppShell.Section>
        <AppShell.Section pt="md" pb="xs">
          <ColorSchemeControl />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main ref={main} tabIndex={-1} className={classes.main}>
        <OpenedFileListener />
        <UpdateNotice />
        <ApiNotices />
        <ScreenErrorBoundary key={location.pathname}>
          <Outlet />
        </ScreenErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
