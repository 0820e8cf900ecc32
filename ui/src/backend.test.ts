import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it, vi } from "vitest";

import { backend, BackendError, onBatchStatus, toBackendError } from "./backend";
import { appInfo } from "./test/fixtures";

describe("backend seam", () => {
  it("returns a command's data", async () => {
    mockIPC((command) => (command === "app_info" ? appInfo : undefined));
    await expect(backend.appInfo()).resolves.toEqual(appInfo);
  });

  it("turns a command's IpcError into a BackendError with its code", async () => {
    mockIPC(() => {
      throw { code: "store_failed", message: "The local database failed: disk full" };
    });
    const error = await backend.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: "store_failed", message: "The local database failed: disk full" });
  });

  it("treats a bare string rejection from Tauri (a denied permission) as internal", async () => {
    mockIPC(() => {
      throw "Command app_info not allowed by ACL";
    });
    const error = await backend.appInfo().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "internal" });
    expect((error as BackendError).message).toContain("not allowed by ACL");
  });

  it("keeps an existing BackendError as it is", () => {
    const original = new BackendError("offline", "No connection");
    expect(toBackendError(original)).toBe(original);
  });

  it("delivers batch status events only for the batch asked about", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const seen = vi.fn();
    const unlisten = await onBatchStatus("batch-a", seen);
    await emit("batch://batch-b/status", { batchId: "batch-b", status: "READY" });
    await emit("batch://batch-a/status", { batchId: "batch-a", status: "PROCESSING" });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith({ batchId: "batch-a", status: "PROCESSING" });
    unlisten();
    await emit("batch://batch-a/status", { batchId: "batch-a", status: "READY" });
    expect(seen).toHaveBeenCalledTimes(1);
  });
});
