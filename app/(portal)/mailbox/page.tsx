import type { Metadata } from "next";
import Link from "next/link";
import { requireEnrollee } from "@/lib/server/auth/session";
import { mailServerName, mailSinkConfigured, readMailbox, seesAllMail, type MailboxMessage, type MailboxViewer } from "@/lib/server/mail/mailbox";
import { MessageList } from "./message-list";
import { MessageView } from "./message-view";
import styles from "./mailbox.module.css";

export const metadata: Metadata = { title: "Demo mailbox" };

type Loaded = { ok: true; messages: MailboxMessage[] } | { ok: false; message: string };

async function load(viewer: MailboxViewer, to: string | undefined): Promise<Loaded> {
  try {
    return { ok: true, messages: await readMailbox(viewer, to) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `The demo mailbox could not be read (${why}). Check that the SafeNet simulator is running and reload the page.` };
  }
}

const first = (raw: string | string[] | undefined) => (Array.isArray(raw) ? raw[0] : raw)?.trim() || undefined;

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string | string[]; id?: string | string[] }> }) {
  const viewer = await requireEnrollee();
  const isAdmin = seesAllMail(viewer);

  if (!mailSinkConfigured()) {
    return (
      <section aria-labelledby="mailbox-title">
        <h1 id="mailbox-title">Demo mailbox</h1>
        <p>
          The portal sends its emails to the real mail server at {mailServerName()}, so there is no demo mailbox here. Read your
          messages in your usual mail client.
        </p>
      </section>
    );
  }

  const params = await searchParams;
  const requested = first(params.to);
  const openId = first(params.id);
  const recipient = isAdmin ? requested : undefined;

  // An employee sees the mail the portal sent on their behalf, never mail picked by an address.
  const loaded = await load(viewer, recipient);
  const messages = loaded.ok ? loaded.messages : [];

  return (
    <section aria-labelledby="mailbox-title">
      <h1 id="mailbox-title">Demo mailbox</h1>
      <p>
        This demo runs with the SafeNet simulator&apos;s mail sink, so the portal&apos;s emails arrive here instead of a real
        mailbox.{" "}
        {isAdmin
          ? "As an administrator you see every message, or those of one recipient."
          : "You see the messages the portal sent on your behalf, whichever address they went to."}
      </p>

      {isAdmin && (
        <form className={styles.filter} method="get" role="search" aria-label="Filter messages by recipient">
          <div className={styles.field}>
            <label htmlFor="mailbox-to">Recipient</label>
            <input id="mailbox-to" name="to" type="email" defaultValue={requested ?? ""} placeholder="alice@corp.local" />
          </div>
          <button type="submit">Show messages</button>
          {requested && <Link href="/mailbox">Show all messages</Link>}
        </form>
      )}

      {!loaded.ok ? (
        <p className="form-error" role="alert">
          {loaded.message}
        </p>
      ) : messages.length === 0 ? (
        <p>{recipient ? `No messages for ${recipient} yet.` : "No messages yet."} Emails the portal sends appear here.</p>
      ) : (
        <MailboxLayout messages={messages} openId={openId} to={requested} />
      )}
    </section>
  );
}

/** The list, newest first, and the one message the URL names; only messages of the list can open. */
function MailboxLayout({ messages, openId, to }: { messages: MailboxMessage[]; openId?: string; to?: string }) {
  const open = openId ? messages.find((m) => m.id === openId) : undefined;
  return (
    <div className={styles.layout}>
      <MessageList messages={messages} openId={open?.id} to={to} />
      <div id="message" className={styles.reader} tabIndex={-1}>
        {open ? (
          <MessageView message={open} />
        ) : openId ? (
          <p className="notice">This message is not in the list (any more). Choose one from the list.</p>
        ) : (
          <p className="muted">Choose a message from the list to read it.</p>
        )}
      </div>
    </div>
  );
}
