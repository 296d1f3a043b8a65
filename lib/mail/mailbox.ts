import { env } from "@/lib/config/env";

// Reading side of the simulator's development mail sink (GET /mailbox/…, TMS key). Only used while
// SMTP_URL points at that sink; against a real mail server there is nothing to read back.

export interface MailboxAttachment {
  filename: string;
  contentType: string;
  size: number;
}

export interface MailboxMessage {
  id: string;
  from: string;
  to: string[];
  subject: string;
  date: string;
  text: string;
  html: string;
  attachments: MailboxAttachment[];
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
const TIMEOUT_MS = 5_000;

/** Whether `smtpUrl` is the simulator's sink: plain SMTP to this machine on `sinkPort`. */
export function isMailSink(smtpUrl: string, sinkPort: number): boolean {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  // nodemailer's default for smtp: without a port is 587.
  const port = url.port ? Number(url.port) : 587;
  return url.protocol === "smtp:" && LOCAL_HOSTS.has(host) && port === sinkPort;
}

/** True while SMTP_URL points at the simulator's sink, so its mailbox API can show what was sent. */
export function mailSinkConfigured(): boolean {
  return isMailSink(env().SMTP_URL, env().SMTP_SINK_PORT);
}

/** host:port of SMTP_URL, without any user name or password it may carry. */
export function mailServerName(smtpUrl = env().SMTP_URL): string {
  try {
    const url = new URL(smtpUrl);
    return url.port ? `${url.hostname}:${url.port}` : url.hostname;
  } catch {
    return "the configured mail server";
  }
}

function mailboxFetch(path: string): Promise<Response> {
  return fetch(`${env().SAFENET_URL}/mailbox${path}`, {
    headers: { authorization: `Bearer ${env().SAFENET_TMS_API_KEY}` },
    cache: "no-store",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

async function failure(res: Response, what: string): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return new Error(`${what} failed with HTTP ${res.status}${body?.error?.message ? `: ${body.error.message}` : ""}`);
}

/** The newest messages (at most 200), all of them or those addressed to `to`. */
export async function listMailbox(to?: string): Promise<MailboxMessage[]> {
  const res = await mailboxFetch(`/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`);
  if (!res.ok) throw await failure(res, "Reading the demo mailbox");
  return ((await res.json()) as { messages: MailboxMessage[] }).messages;
}

/** One attachment's bytes as the sink answers them, or null when the message or file is unknown. */
export async function fetchAttachment(id: string, filename: string): Promise<Response | null> {
  const res = await mailboxFetch(`/messages/${encodeURIComponent(id)}/attachments/${encodeURIComponent(filename)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw await failure(res, "Reading the attachment");
  return res;
}

export function addressedTo(message: MailboxMessage, email: string): boolean {
  const wanted = email.trim().toLowerCase();
  return wanted !== "" && message.to.some((a) => a.toLowerCase() === wanted);
}
