import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const bindingsOnlyThroughBackend = {
  group: ["**/bindings", "**/bindings.ts", "@tauri-apps/api/*", "!@tauri-apps/api/mocks"],
  message: "Call Rust through src/backend.ts only.",
};
// src/i18n loads the catalogue before handing out `useTranslation`.
const wordsThroughI18n = {
  group: ["i18next", "react-i18next"],
  message: "Get words through src/i18n (useTranslation, t, Trans).",
};
// Components get data and events through the hooks in src/queries.ts (one key scheme,
// one place that keeps the cache current); from src/backend.ts they take types only.
const dataFromQueries = {
  group: ["**/backend", "**/backend.ts"],
  importNames: ["backend", "onFileOpened", "onFilesDropped", "onStudyNotice", "onStudyProgress"],
  message: "Get data through a hook in src/queries.ts (add one there), not from src/backend.ts.",
};

export default tseslint.config(
  { ignores: ["dist", "src/bindings.ts", "postcss.config.cjs"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The generated bindings are reached through src/backend.ts only: one seam to
      // Rust, which tests can mock and which turns IPC results into typed errors.
      "no-restricted-imports": [
        "error",
        {
          patterns: [bindingsOnlyThroughBackend, wordsThroughI18n, dataFromQueries],
        },
      ],
    },
  },
  {
    // The one home of data calls and event subscriptions: it may reach src/backend.ts's
    // calls (the bindings stay forbidden).
    files: ["src/queries.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [bindingsOnlyThroughBackend, wordsThroughI18n] }] },
  },
  {
    files: ["src/backend.ts", "src/i18n/**", "src/test/**", "**/*.test.{ts,tsx}"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tauri rejects IPC calls with plain values (our IpcError objects, or strings), so
    // tests simulate exactly that by throwing non-Error values from mocked commands.
    files: ["**/*.test.{ts,tsx}"],
    rules: { "@typescript-eslint/only-throw-error": "off" },
  },
  {
    // Every word a researcher reads comes from the catalogue (src/i18n/en/*.json): a
    // literal word in JSX fails. Test ids, class names, ARIA roles and the like are not
    // words.
    files: ["src/**/*.tsx"],
    ignores: ["**/*.test.tsx"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          // The product's name is no word to translate.
          // No letters (numbers, punctuation, "–"), constants, Mantine's colours ("orange.8",
          // "var(--…)"), and the product's name, which is no word to translate.
          words: {
            exclude: [/^\P{L}*$/u, "[A-Z_-]+", "[a-z]+\\.[0-9]", "var\\(--[a-z0-9-]+\\)", "Batchdesk"],
          },
          // Calls whose string arguments are routes, keys or field names.
          callees: { exclude: ["t", "translate", "navigate", "mutate", "detailError", "errorFor", "issue", "includes", "startsWith", "endsWith"] },
          "jsx-attributes": {
            exclude: [
              "className", "style", "styles", "classNames", "path", "testId", ".*TestId", "aria-keyshortcuts", "type", "key", "id", "name", "width", "height", "data-.*", "role",
              "variant", "color", "c", "size", "fw", "ff", "tt", "ta", "justify", "align", "gap", "wrap", "mode",
              "order", "component", "position", "to", "href", "rel", "target", "autoComplete", "inputMode",
              "accept", "method", "w", "miw", "maw", "h", "mih", "mah", "p", "px", "py", "pt", "pb", "m", "mt",
              "mb", "ml", "mr", "mx", "my", "radius", "shadow", "span", "layout", "orientation", "dir",
              "aria-(live|haspopup|current|controls|describedby|labelledby|hidden|expanded|selected|checked|pressed|autocomplete|sort)",
              "transitionProps", "keepMounted", "display", "lh", "fz", "bg", "td", "fs", "tabIndex", "htmlFor",
              "defaultValue", "value", "labelPosition", "loaderProps", "icon", "leftSection", "rightSection",
              "scrollbars", "visibleFrom", "hiddenFrom", "breakpoint", "withinPortal", "zIndex",
              "scope", "[mp][trblxy]?", "m[ai][wh]",
            ],
          },
        },
      ],
    },
  },
  {
    files: ["e2e/**/*.mjs", "eslint.config.js"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
