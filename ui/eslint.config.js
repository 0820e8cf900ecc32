import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

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
          patterns: [
            {
              group: ["**/bindings", "**/bindings.ts", "@tauri-apps/api/*", "!@tauri-apps/api/mocks"],
              message: "Call Rust through src/backend.ts only.",
            },
            {
              // src/i18n loads the catalogue before handing out `useTranslation`.
              group: ["i18next", "react-i18next"],
              message: "Get words through src/i18n (useTranslation, t, Trans).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/backend.ts", "src/i18n/**", "src/test/**", "**/*.test.{ts,tsx}"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Words on screen come from the catalogue (src/i18n/en): a literal word in JSX fails,
    // in the areas already moved to it. Attributes that are not words are let through.
    files: ["src/study/**/*.tsx", "src/results/**/*.tsx", "src/pages/StudyPage.tsx"],
    ignores: ["**/*.test.tsx"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": {
            // Keys and markup, not words (the type checker lets through literals of a union type).
            exclude: ["className", "style", "key", "id", "value", "to", "href", "data-.*", ".*[tT]estId", "aria-(labelledby|describedby|controls)",
              "scope", "component", "c", "color", "bg", "size", "[mp][trblxy]?", "m[ai][wh]", "w", "h"],
          },
          words: {
            // No letters (numbers, punctuation, "–"), constants, and Mantine's colours ("orange.8", "var(--…)").
            exclude: [/^\P{L}*$/u, "[A-Z_-]+", "[a-z]+\\.[0-9]", "var\\(--[a-z0-9-]+\\)"],
          },
        },
      ],
    },
  },
  {
    // Tauri rejects IPC calls with plain values (our IpcError objects, or strings), so
    // tests simulate exactly that by throwing non-Error values from mocked commands.
    files: ["**/*.test.{ts,tsx}"],
    rules: { "@typescript-eslint/only-throw-error": "off" },
  },
  {
    files: ["e2e/**/*.mjs", "eslint.config.js"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
