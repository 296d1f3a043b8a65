import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import type { ReactElement } from "react";
import { env } from "@/lib/runtime/env";
import { mailServerName } from "./mailbox";
import { renderEmail } from "../../mail/render";

// Sends through SMTP_URL: the simulator's sink in demos, a real relay in production, no code change.

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  element: ReactElement;
  attachments?: MailAttachment[];
}

const TIMEOUT_MS = 10_000;

// Next dev reloads modules; keep one transport per process.
const globalForMail = globalThis as unknown as { portalMailTransport?: Transporter<SMTPTransport.SentMessageInfo> };

function transport(): Transporter<SMTPTransport.SentMessageInfo> {
  globalForMail.portalMailTransport ??= nodemailer.createTransport(
    // A transport instance rather than the URL string, so the timeouts are not dropped.
    new SMTPTransport({ url: env().SMTP_URL, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS }),
  );
  return globalForMail.portalMailTransport;
}

/** Sends one mail and returns the Message-ID it went out with, so the sender can record it. */
export async function sendMail({ to, subject, element, attachments = [] }: OutgoingMail): Promise<{ messageId: string }> {
  if (!to.trim()) throw new Error(`The email "${subject}" has no recipient; add an email address to the account and try again.`);
  const { html, text } = await renderEmail(element);
  let info: SMTPTransport.SentMessageInfo;
  try {
    info = await transport().sendMail({ from: env().MAIL_FROM, to, subject, html, text, attachments });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`The email "${subject}" could not be sent to ${to} through the mail server ${mailServerName()}: ${why}`, {
      cause: err,
    });
  }
  if (info.rejected.length > 0) {
    throw new Error(`The mail server ${mailServerName()} refused the recipient ${to} of the email "${subject}".`);
  }
  return { messageId: info.messageId };
}
