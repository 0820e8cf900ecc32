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
 * the first Enter, so Enter is pressed until the dialog has closed. On a busy machine a
 * keystroke of the typed path can be lost: after 40 s the path is typed again (three
 * tries in all).
 */
export async function answerFileDialog(title, path) {
  const dialog = await waitForWindow(title);
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    // The location bar (open) or the name field (save, where GTK pre-selects only the
    // name before its extension): select all of it so the typed path replaces it whole.
    await pressKeys(dialog, "ctrl+l", "ctrl+a");
    await typeText(path);
    for (let presses = 0; (await windowShown(title)) && presses < 160; presses += 1) {
      await pressKeys(dialog, "Return").catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!(await windowShown(title))) return;
  }
  // Outside the suite's own temporary folder, which the runner removes at the end.
  const picture = "/tmp/batchdesk-dialog-stuck.png";
  await run("import", ["-window", "root", picture]).catch(() => undefined);
  throw new Error(`the dialog "${title}" did not close after three tries (screen saved to ${picture})`);
}
