import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { App, createQueryClient } from "../App";
import type { LaunchedStudy } from "../backend";
import { mockBackend } from "../test/fixtures";

const draft: LaunchedStudy = {
  studyId: "s1",
  title: "Is this text positive?",
  internalName: "Reviews pilot",
  status: "UNPUBLISHED",
  published: false,
  places: 18,
  placesTaken: 0,
  submissions: 0,
};

describe("Batches", () => {
  beforeEach(() => {
    window.location.hash = "#/batches";
  });

  it("lists studies live and publishes a draft", async () => {
    let published = false;
    mockBackend({
      launched_studies: () => [published ? { ...draft, status: "ACTIVE", published: true, placesTaken: 6 } : draft],
      publish_draft_study: (_, args) => {
        expect(args).toEqual({ studyId: "s1" });
        published = true;
        return { studyId: "s1", status: "ACTIVE", published: true, places: 18 };
      },
    });
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText("Reviews pilot")).toBeInTheDocument();
    expect(screen.getByText("Draft")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Publish this draft" }));
    expect(await screen.findByText("6 of 18 places taken")).toBeInTheDocument();
    expect(screen.getByText("Live")).toBeInTheDocument();
  });

  it("says plainly when there is nothing yet", async () => {
    mockBackend();
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText(/No batches yet/)).toBeInTheDocument();
  });
});
