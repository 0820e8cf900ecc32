import js from "@eslint/js";
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
