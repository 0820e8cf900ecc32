import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it, vi } from "vitest";

import { backend, BackendError, onStudyNotice, toBackendError } from "./backend";
import { appInfo } from "./test/fixtures";

describe("backend seam", () => {
  it("returns a command's data", async () => {
    mockIPC((command) => (command === "app_info" ? appInfo : undefined));
    await expect(backend.appInfo()).resolves.toEqual(appInfo);
  });

  it("turns a command's IpcError into a BackendError with its code and its sentence said", async () => {
    mockIPC(() => {
      throw {
        code: "internal",
        message: { key: "errors:shell.fileNotShown", params: { reason: "no xdg-open", path: "/tmp/r.csv" } },
      };
    });
    const error = await backend.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({
      code: "internal",
      message: "The file manager could not be opened (no xdg-open). The file is at /tmp/r.csv.",
    });
  });

  it("says a sentence inside another, with its own values formatted", async () => {
    mockIPC(() => {
      throw {
        code: "invalidSettings",
        message: {
          key: "errors:studyStep.invalid",
          params: {
            issue: {
              key: "checks:settings.belowMinimumPay",
              params: { hourly: { minor: 450, currency: "GBP" }, minimum: { minor: 600, currency: "GBP" } },
            },
          },
        },
      };
    });
    const error = await backend.appInfo().catch((e: unknown) => e);
    expect((error as BackendError).message).toMatch(/^Some settings need fixing first: This pays £4\.50 an hour, below Prolific's minimum of £6\.00 an hour/);
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

  it("delivers a study's notices only for the study asked about", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const seen = vi.fn();
    const unlisten = await onStudyNotice("study-a", seen);
    const notice = (studyId: string, title: string) => ({
      notice: { studyId, kind: "completed", title, body: "Every place is taken." },
    });
    await emit("study://study-b/notice", notice("study-b", "Other study"));
    await emit("study://study-a/notice", notice("study-a", "Finished"));
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith(notice("study-a", "Finished").notice);
    unlisten();
    await emit("study://study-a/notice", notice("study-a", "Again"));
    expect(seen).toHaveBeenCalledTimes(1);
  });
});
