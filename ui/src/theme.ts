import {
  type CSSVariablesResolver,
  DEFAULT_THEME,
  Modal,
  createTheme,
  darken,
  localStorageColorSchemeManager,
  luminance,
} from "@mantine/core";

// The catalogue is loaded on import, so its words are there when the theme is made.
import { t } from "./i18n";

export const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "md",
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", Arial, sans-serif',
  // Keyboard users always see where focus is; mouse clicks do not draw rings.
  focusRing: "auto",
  components: {
    // Mantine's close button is an icon alone: screen readers need its name.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": t("common:closeDialog") } } }),
  },
});

/** Where the researcher's choice of light, dark or "match system" is remembered. */
export const COLOR_SCHEME_KEY = "batchdesk-color-scheme";

export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_KEY });

/** WCAG AA's contrast for body text, with a little room for rounding and tints. */
const READABLE = 4.6;

/** The WCAG contrast ratio of two colours. */
export function contrast(one: string, other: string): number {
  const [a, b] = [luminance(one), luminance(other)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** `color` darkened in small steps until it reads at AA against every one of `backgrounds`. */
export function readableOn(color: string, backgrounds: string[]): string {
  let shade = color;
  for (let step = 1; step <= 20 && backgrounds.some((ground) => contrast(shade, ground) < READABLE); step += 1) {
    shade = darken(color, step * 0.04);
  }
  return shade;
}

/**
 * Mantine's light scheme draws several pairs below WCAG AA (4.5:1): "dimmed" text (gray
 * 6 on white, 3.3:1), white on filled buttons (indigo 6, 4.3:1), coloured text such as
 * teal 6 on white (2.6:1), and the "light" variant of badges, alerts and buttons (orange
 * 9 on orange 1, 3.6:1). Each colour keeps its hue and is darkened just enough to read,
 * worked out from the palette so a new colour is covered too. The dark scheme's pairs
 * already pass.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const white = resolved.white;
  const paleGray = resolved.colors.gray[0];
  const light: Record<string, string> = { "--mantine-color-dimmed": readableOn(resolved.colors.gray[6], [white, paleGray]) };
  for (const [name, shades] of Object.entries({ ...DEFAULT_THEME.colors, ...resolved.colors })) {
    const filled = readableOn(shades[6], [white]);
    light[`--mantine-color-${name}-filled`] = filled;
    light[`--mantine-color-${name}-filled-hover`] = darken(filled, 0.1);
    light[`--mantine-color-${name}-text`] = readableOn(shades[6], [white, paleGray]);
    light[`--mantine-color-${name}-outline`] = readableOn(shades[6], [white]);
    // The light variant's text on its background, and on its hover background.
    light[`--mantine-color-${name}-light-color`] = readableOn(shades[9], [shades[1], shades[2]]);
  }
  // Links are drawn in the primary colour's text shade.
  light["--mantine-color-anchor"] = `var(--mantine-color-${resolved.primaryColor}-text)`;
  return { variables: {}, light, dark: {} };
};
