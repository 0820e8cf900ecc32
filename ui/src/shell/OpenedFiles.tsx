import { useEffect } from "react";
import { useNavigate } from "react-router";

import { backend, type HeldFile, onFileOpened } from "../backend";

/** What the navigation to New batch carries when a file was opened with Batchdesk. */
type OpenedState = { openedFile: HeldFile };

/** The file a navigation carried (see `OpenedFileListener`), if any. */
export function openedFileOf(state: unknown): HeldFile | null {
  const file = (state as Partial<OpenedState> | null)?.openedFile;
  return file && typeof file.handle === "string" ? file : null;
}

/**
 * Files opened with Batchdesk ("Open with", a second start given a file, macOS's
 * open-file event) go straight to New batch's data step. Rust keeps the file until it
 * is taken: at start (so one given on the command line waits until the app is connected
 * and this mounts) and each time Rust says another arrived.
 */
export function OpenedFileListener() {
  const navigate = useNavigate();
  useEffect(() => {
    // A file taken is always shown, even if this effect was cleaned up meanwhile: it
    // cannot be taken twice.
    const take = async () => {
      const file = await backend.takeOpenedFile().catch(() => null);
      if (file) void navigate("/new", { state: { openedFile: file } satisfies OpenedState });
    };
    void take();
    const unlisten = onFileOpened(() => void take());
    return () => {
      void unlisten.then((stop) => stop());
    };
  }, [navigate]);
  return null;
}
