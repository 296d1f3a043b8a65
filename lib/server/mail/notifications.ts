import "server-only";
import { createElement, type ReactElement } from "react";
import { env } from "@/lib/runtime/env";
import ActivationEmail, { seedFilename } from "@/emails/activation";
import InvitationEmail, { INVITATION_SUBJECT, type InvitationEmailProps } from "@/emails/invitation";
import SecurityNoticeEmail, { CHANGE_TITLES, type SecurityNoticeEmailProps } from "@/emails/security-notice";
import { sendMail, type MailAttachment } from "./send";
import { store } from "@/lib/server/store";

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

type MailKind = "activation" | "security-notice" | "invitation";

async function deliver(
  kind: MailKind,
  mail: { to: string; user: string; serial?: string; subject: string; element: ReactElement; attachments?: MailAttachment[] },
): Promise<void> {
  const { to, user, serial, subject } = mail;
  const event = { type: `mail.${kind}`, kind: "enrollment" as const, user, serial: serial ?? null };
  let messageId: string;
  try {
    ({ messageId } = await sendMail(mail));
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await store.recordEvent({ ...event, result: "failure", reason: "smtp_failed", detail: { to, subject, error } });
    throw err;
  }
  // Recorded once sent, outside the try: a sent mail is never reported as an SMTP failure.
  await store.recordSentMail({ messageId, upn: user, recipient: to, subject, kind });
  await store.recordEvent({ ...event, result: "success", detail: { to, subject } });
}

const portalUrl = () => env().NEXTAUTH_URL;

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

/** The notice of a change to the user's second factor; no secret goes into it. */
export async function sendSecurityNotice(p: Omit<SecurityNoticeEmailProps, "portalUrl"> & { to: string; upn: string }): Promise<void> {
  const { to, upn, ...props } = p;
  await deliver("security-notice", {
    to,
    user: upn,
    serial: p.serial,
    subject: CHANGE_TITLES[p.change](p.serial),
    element: createElement(SecurityNoticeEmail, { ...props, portalUrl: portalUrl() }),
  });
}

/** The enrollment invitation: its link is the only secret in it and never goes into an event. */
export async function sendInvitationEmail(p: Omit<InvitationEmailProps, "portalUrl"> & { to: string }): Promise<void> {
  const { to, ...props } = p;
  await deliver("invitation", {
    to,
    user: p.upn,
    subject: INVITATION_SUBJECT,
    element: createElement(InvitationEmail, { ...props, portalUrl: portalUrl() }),
  });
}
