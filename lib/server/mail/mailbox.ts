import "server-only";
import { env } from "@/lib/runtime/env";
import { checkAnswer, mailboxAnswerSchema, type MailboxAttachment, type MailboxMessage } from "@/lib/safenet/contract";
import { store } from "@/lib/server/store";

// Reading side of the simulator's development mail sink (GET /mailbox/…, TMS key). Only used while
// SMTP_URL points at that sink; against a real mail server there is nothing to read back.

export type { MailboxAttachment, MailboxMessage };

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

/** The newest messages (at most 200), all of them or those matching the filter. */
export async function listMailbox(filter: { to?: string; messageIds?: string[] } = {}): Promise<MailboxMessage[]> {
  const query = new URLSearchParams();
  if (filter.to) query.set("to", filter.to);
  for (const id of filter.messageIds ?? []) query.append("messageId", id);
  const qs = query.toString();
  const res = await mailboxFetch(`/messages${qs ? `?${qs}` : ""}`);
  if (!res.ok) throw await failure(res, "Reading the demo mailbox");
  const checked = checkAnswer(mailboxAnswerSchema, await res.json().catch(() => null));
  if (!checked.ok) throw new Error(`Reading the demo mailbox failed: the mail sink's answer is not what the contract says (${checked.problems}).`);
  return checked.data.messages;
}

export interface MailboxViewer {
  upn: string;
  isAdmin: boolean;
  mfa: string;
}

export const seesAllMail = (viewer: MailboxViewer) => viewer.isAdmin && viewer.mfa === "done";

// Message-IDs per sink request, so the URL stays far below the header size limits.
const IDS_PER_REQUEST = 50;

// ISO dates sort as strings; the sink's order is not promised, the mailbox shows the newest on top.
const newestFirst = (messages: MailboxMessage[]) => [...messages].sort((a, b) => b.date.localeCompare(a.date));

/**
 * The messages `viewer` may read: an administrator (with MFA done) reads every message, or one
 * recipient's; anyone else only the mail the portal recorded as sent on their behalf, whatever
 * address it went to, and never mail chosen by an address.
 */
export async function readMailbox(viewer: MailboxViewer, to?: string): Promise<MailboxMessage[]> {
  if (seesAllMail(viewer)) return newestFirst(await listMailbox({ to }));
  const ids = await store.sentMessageIds(viewer.upn);
  if (ids.length === 0) return [];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) chunks.push(ids.slice(i, i + IDS_PER_REQUEST));
  const found = (await Promise.all(chunks.map((messageIds) => listMailbox({ messageIds })))).flat();
  // The sink filters already; this keeps the view to recorded mail whatever it answers.
  const mine = new Set(ids);
  return newestFirst(found.filter((m) => mine.has(m.messageId)));
}

/** Whether `viewer` may read the sink's message `id` (an attachment of it, say). */
export async function canReadMessage(viewer: MailboxViewer, id: string): Promise<boolean> {
  if (seesAllMail(viewer)) return true;
  return (await readMailbox(viewer)).some((m) => m.id === id);
}

/** One attachment's bytes as the sink answers them, or null when the message or file is unknown. */
export async function fetchAttachment(id: string, filename: string): Promise<Response | null> {
  const res = await mailboxFetch(`/messages/${encodeURIComponent(id)}/attachments/${encodeURIComponent(filename)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw await failure(res, "Reading the attachment");
  return res;
}
