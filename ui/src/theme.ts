import { createTheme, localStorageColorSchemeManager } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "md",
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", Arial, sans-serif',
  // Keyboard users always see where focus is; mouse clicks do not draw rings.
  focusRing: "auto",
});

/** Where the researcher's choice of light, dark or "match system" is remembered. */
export const COLOR_SCHEME_KEY = "batchdesk-color-scheme";

export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_KEY });
