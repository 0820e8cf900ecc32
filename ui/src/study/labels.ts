/** Plain words for the study settings, shared by the form and the review. */
import { t } from "../i18n";
import type { Approval, Device } from "./settings";

/** Devices in the order they are offered and stored. */
export const deviceOrder: Device[] = ["desktop", "mobile", "tablet"];

/** How a device is named to the researcher. */
export function deviceLabel(device: Device): string {
  return t(`study:devices.${device}`);
}

/** The ways of approving, in the order they are offered. */
export const approvalOrder: Approval[] = ["automatic", "review"];

export function approvalLabel(approval: Approval): string {
  return t(`study:approvals.${approval}.label`);
}

export function approvalDescription(approval: Approval): string {
  return t(`study:approvals.${approval}.description`);
}

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
