/** Plain words for the study settings, shared by the form and the review. */
import type { Approval, Device } from "./settings";

/** Devices in the order they are offered and stored. */
export const devices: { value: Device; label: string }[] = [
  { value: "desktop", label: "Computer (desktop or laptop)" },
  { value: "mobile", label: "Phone" },
  { value: "tablet", label: "Tablet" },
];

export const deviceLabel = Object.fromEntries(devices.map(({ value, label }) => [value, label])) as Record<
  Device,
  string
>;

export const approvals: { value: Approval; label: string; description: string }[] = [
  {
    value: "automatic",
    label: "Approve automatically when a participant finishes",
    description: "Everyone who finishes is paid straight away, without a check from you.",
  },
  {
    value: "review",
    label: "I review each submission (within Prolific's time limit)",
    description: "You approve or reject each submission on Prolific before it is paid.",
  },
];

export const approvalLabel = Object.fromEntries(approvals.map(({ value, label }) => [value, label])) as Record<
  Approval,
  string
>;

/** The fields the settings form shows issues on; issues about others go to its top. */
export const formFields = [
  "title",
  "description",
  "internalName",
  "estimatedMinutes",
  "maxMinutes",
  "reward",
  "peoplePerItem",
  "devices",
  "projectId",
  "approval",
];

/** Fields other parts of the step show (the audience editor, the cost panel). */
export const elsewhereFields = ["filters", "audience", "balance"];

/** A short box for a number or an amount, under a label and description of full width. */
export const narrow = { wrapper: { maxWidth: 220 } };
