import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Tauri CLI expects the dev server on a fixed port (tauri.conf.json `devUrl`).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: "127.0.0.1" },
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Room for a machine busy with a build (see the find queries' wait in setup.ts).
    testTimeout: 30_000,
  },
});
