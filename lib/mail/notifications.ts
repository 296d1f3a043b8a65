import { createElement, type ReactElement } from "react";
import { recordEvent } from "@/db/queries/events";
import { recordSentMail } from "@/db/queries/sent-mails";
import { env } from "@/lib/config/env";
import ActivationEmail, { seedFilename } from "@/emails/activation";
import PinChangedEmail from "@/emails/pin-changed";
import TokenActivatedEmail from "@/emails/token-activated";
import TokenLockedEmail from "@/emails/token-locked";
import TokenRevokedEmail from "@/emails/token-revoked";
import { sendMail, type MailAttachment } from "./send";

// The emails the portal sends about a user's token. Each send is recorded as an event, whose detail
// holds the recipient and subject only: never the activation key, the PIN or the seed; and each
// sent mail is recorded with the UPN it was sent for, which is what the demo mailbox shows them.

export { mailSinkConfigured } from "./mailbox";

export interface SeedFile {
  filename: string;
  contentType: string;
  base64: string;
}

export const PSKC_CONTENT_TYPE = "application/pskc+xml";

type MailKind = "activation" | "token-activated" | "token-locked" | "token-revoked" | "pin-changed";

async function deliver(
  kind: MailKind,
  mail: { to: string; user: string; serial: string; subject: string; element: ReactElement; attachments?: MailAttachment[] },
): Promise<void> {
  const { to, user, serial, subject } = mail;
  const event = { type: `mail.${kind}`, kind: "enrollment" as const, user, serial };
  try {
    const { messageId } = await sendMail(mail);
    recordSentMail({ messageId, upn: user, recipient: to, subject, kind });
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    recordEvent({ ...event, result: "failure", reason: "smtp_failed", detail: { to, subject, error } });
    throw err;
  }
  recordEvent({ ...event, result: "success", detail: { to, subject } });
}

const portalUrl = () => env().NEXTAUTH_URL;
const withoutTo = <T extends { to: string; upn: string }>({ to: _to, upn: _upn, ...rest }: T): Omit<T, "to" | "upn"> => rest;

export async function sendActivationEmail(p: {
  to: string;
  displayName: string;
  upn: string;
  serial: string;
  otpMode: "time" | "event";
  activationKey: string;
  pin: string;
  seedFile: SeedFile;
  downloadUrl: string;
  portalUrl: string;
  split: boolean;
}): Promise<void> {
  const { to, seedFile, ...props } = p;
  await deliver("activation", {
    to,
    user: p.upn,
    serial: p.serial,
    subject: `Activate your SafeNet MobilePASS token ${p.serial}`,
    element: createElement(ActivationEmail, props),
    attachments: [
      { filename: seedFilename(p.serial), contentType: PSKC_CONTENT_TYPE, content: Buffer.from(seedFile.base64, "base64") },
    ],
  });
}

export async function sendTokenActivated(p: { to: string; upn: string; displayName: string; serial: string }): Promise<void> {
  await deliver("token-activated", {
    to: p.to,
    user: p.upn,
    serial: p.serial,
    subject: `Your SafeNet token ${p.serial} is active`,
    element: createElement(TokenActivatedEmail, { displayName: p.displayName, serial: p.serial, portalUrl: portalUrl() }),
  });
}

export async function sendTokenLocked(p: { to: string; upn: string; displayName: string; serial: string; lockedUntil: string | null }): Promise<void> {
  await deliver("token-locked", {
    to: p.to,
    user: p.upn,
    serial: p.serial,
    subject: `Your SafeNet token ${p.serial} is locked`,
    element: createElement(TokenLockedEmail, { ...withoutTo(p), portalUrl: portalUrl() }),
  });
}

export async function sendTokenRevoked(p: { to: string; upn: string; displayName: string; serial: string; by: "self" | "admin" }): Promise<void> {
  await deliver("token-revoked", {
    to: p.to,
    user: p.upn,
    serial: p.serial,
    subject: `Your SafeNet token ${p.serial} was revoked`,
    element: createElement(TokenRevokedEmail, { ...withoutTo(p), portalUrl: portalUrl() }),
  });
}

export async function sendPinChanged(p: { to: string; upn: string; displayName: string; serial: string; by: "self" | "admin" }): Promise<void> {
  await deliver("pin-changed", {
    to: p.to,
    user: p.upn,
    serial: p.serial,
    subject: `The PIN of your SafeNet token ${p.serial} was changed`,
    element: createElement(PinChangedEmail, { ...withoutTo(p), portalUrl: portalUrl() }),
  });
}
