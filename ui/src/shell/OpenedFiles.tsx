import { useNavigate } from "react-router";

import type { HeldFile } from "../backend";
import { useOpenedFiles } from "../queries";

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
  useOpenedFiles((file) => void navigate("/new", { state: { openedFile: file } satisfies OpenedState }));
  return null;
}
