import { MantineProvider } from "@mantine/core";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { formatBytes } from "../format";
import { DownloadsMenu, type DownloadsMenuProps } from "./DownloadsMenu";
import type { DownloadKind, SavedFile } from "../backend";

function setup(props: Partial<DownloadsMenuProps> = {}) {
  const handlers = {
    onSave: vi.fn(
      (kind: DownloadKind): Promise<SavedFile | null> =>
        Promise.resolve({
          path: `/home/researcher/Documents/tweets-${kind}.csv`,
          bytes: 1_234_567,
          guide: kind === "tidy" ? "/home/researcher/Documents/tweets-tidy - column guide.csv" : null,
        }),
    ),
    onShowInFolder: vi.fn((): Promise<unknown> => Promise.resolve(null)),
  };
  render(
    <MantineProvider env="test">
      <DownloadsMenu {...handlers} {...props} />
    </MantineProvider>,
  );
  return { ...handlers, user: userEvent.setup() };
}

/** Rejects as the back end does: with an `{ code, message }` object, not an Error. */
// eslint-disable-next-line @typescript-eslint/require-await
const refuse = async (message: string): Promise<never> => {
  throw { code: "io", message };
};

describe("DownloadsMenu", { timeout: 30_000 }, () => {
  it("offers the five downloads, each saying what it holds", () => {
    setup();
    expect(screen.getByRole("button", { name: "Tidy CSV" })).toHaveAccessibleDescription(
      "One row per data row, with every question's answers: majorities and agreement, written answers, means and medians. Opens in Excel; a column guide (“… - column guide.csv”) saved beside it explains each column.",
    );
    expect(screen.getByTestId("download-report")).toHaveTextContent("Prolific's CSV report");
    expect(screen.getByTestId("download-export")).toHaveTextContent("ZIP export");
    expect(screen.getByTestId("download-responses")).toHaveTextContent("Raw responses (JSON)");
    expect(screen.getByRole("button", { name: "Reproducibility package" })).toHaveAccessibleDescription(
      /everything needed to work the figures out again.*every model option and seed, and a README saying how to recompute them/,
    );
  });

  it("saves the reproducibility package as one ZIP", async () => {
    const { user, onSave } = setup();
    await user.click(screen.getByTestId("download-package"));
    expect(onSave).toHaveBeenCalledWith("package");
    expect(await screen.findByTestId("saved-path")).toBeInTheDocument();
  });

  it("says where the file went and shows it in its folder", async () => {
    const { user, onSave, onShowInFolder } = setup();
    await user.click(screen.getByTestId("download-tidy"));
    expect(onSave).toHaveBeenCalledWith("tidy");
    expect(await screen.findByTestId("saved-path")).toHaveTextContent(
      "Saved to /home/researcher/Documents/tweets-tidy.csv",
    );
    expect(screen.getByRole("status")).toHaveTextContent("(1.2 MB)");
    // The column guide saved beside the tidy CSV is named, so it can be found.
    expect(screen.getByTestId("saved-guide")).toHaveTextContent(
      "column guide saved beside it, “tweets-tidy - column guide.csv”.",
    );
    await user.click(screen.getByRole("button", { name: "Show in folder" }));
    expect(onShowInFolder).toHaveBeenCalledWith("/home/researcher/Documents/tweets-tidy.csv");
  });

  it("says nothing when the save dialog is cancelled", async () => {
    const { user } = setup({ onSave: () => Promise.resolve(null) });
    await user.click(screen.getByTestId("download-export"));
    expect(screen.getByTestId("download-export")).toBeEnabled();
    expect(screen.queryByTestId("saved-path")).not.toBeInTheDocument();
    expect(screen.queryByTestId("download-error")).not.toBeInTheDocument();
  });

  it("shows why a download failed, in plain words", async () => {
    const { user } = setup({ onSave: () => refuse("Prolific could not be reached. Check your internet connection.") });
    await user.click(screen.getByTestId("download-report"));
    expect(await screen.findByTestId("download-error")).toHaveTextContent(
      "Prolific could not be reached. Check your internet connection.",
    );
  });

  it("shows why the folder could not be opened", async () => {
    const { user } = setup({ onShowInFolder: () => refuse("The file is no longer there.") });
    await user.click(screen.getByTestId("download-responses"));
    expect(await screen.findByTestId("saved-path")).toBeInTheDocument();
    expect(screen.queryByTestId("saved-guide")).not.toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "Show in folder" }));
    expect(await screen.findByTestId("download-error")).toHaveTextContent("The file is no longer there.");
  });

  it("takes one download at a time", async () => {
    let finish: (file: SavedFile | null) => void = () => undefined;
    const { user } = setup({ onSave: () => new Promise((resolve) => (finish = resolve)) });
    await user.click(screen.getByTestId("download-tidy"));
    expect(screen.getByTestId("download-report")).toBeDisabled();
    expect(screen.getByTestId("download-tidy")).toHaveAttribute("data-loading", "true");
    finish(null);
    await waitFor(() => expect(screen.getByTestId("download-report")).toBeEnabled());
  });

  it("writes sizes in plain units", () => {
    expect(formatBytes(512)).toMatch(/512/);
    expect(formatBytes(1_234_567)).toMatch(/1[.,]2/);
  });
});
