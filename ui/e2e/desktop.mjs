// Native windows (dialogs GTK draws outside the webview), driven the way a person would,
// with xdotool on the Xvfb display. Xvfb runs no window manager, so focus is set
// directly and keys go through XTEST (GTK ignores synthetic events).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

async function search(title, ...flags) {
  const { stdout } = await run("xdotool", ["search", ...flags, "--name", `^${title}$`]).catch(() => ({ stdout: "" }));
  return stdout.trim().split("\n")[0] ?? "";
}

/**
 * The id of the window with this exact title once it is on screen (30 s at most): a
 * window that exists but is not mapped yet cannot take the focus.
 */
export async function waitForWindow(title) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const id = await search(title, "--onlyvisible");
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no window titled "${title}" appeared within 30 s`);
}

/** Whether a window with this title is on screen (GTK hides a closed dialog's window). */
export async function windowShown(title) {
  return (await search(title, "--onlyvisible")) !== "";
}

/** Focuses a window and presses keys in it. */
export async function pressKeys(window, ...keys) {
  await run("xdotool", ["windowfocus", "--sync", window, "key", "--clearmodifiers", ...keys]);
}

/** Types text into the focused window, key by key. */
export async function typeText(text) {
  await run("xdotool", ["type", "--delay", "5", text]);
}

/**
 * Answers a GTK file dialog (open or save) titled `title` with `path`: the location bar
 * takes the path as typed text. GTK may still be completing the typed path and swallow
 * the first Enter, so Enter is pressed until the dialog has closed.
 */
export async function answerFileDialog(title, path) {
  const dialog = await waitForWindow(title);
  await pressKeys(dialog, "ctrl+l");
  await typeText(path);
  // A busy machine can take many seconds to complete a path: up to a minute.
  for (let attempt = 0; (await windowShown(title)) && attempt < 240; attempt += 1) {
    await pressKeys(dialog, "Return").catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (await windowShown(title)) {
    await run("import", ["-window", "root", `/tmp/batchdesk-dialog-stuck.png`]).catch(() => undefined);
    throw new Error(`the dialog "${title}" did not close (screen saved to /tmp/batchdesk-dialog-stuck.png)`);
  }
}
