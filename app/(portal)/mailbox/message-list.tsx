import Link from "next/link";
import type { MailboxMessage } from "@/lib/server/mail/mailbox";
import { dateFormat } from "./message-view";
import styles from "./mailbox.module.css";

// The mailbox's messages, newest first, each a link that opens it: the URL names the open message,
// so Back and Forward go from one to the other and a reload keeps it open.

export function mailboxHref(query: { to?: string; id?: string }): string {
  const params = new URLSearchParams();
  if (query.to) params.set("to", query.to);
  if (query.id) params.set("id", query.id);
  const qs = params.toString();
  return `/mailbox${qs ? `?${qs}` : ""}`;
}

export function MessageList({ messages, openId, to }: { messages: MailboxMessage[]; openId?: string; to?: string }) {
  return (
    <nav aria-labelledby="message-list-title" className={styles.list}>
      <h2 id="message-list-title" className="visually-hidden">
        Messages
      </h2>
      <p className="muted">
        {messages.length === 1 ? "1 message" : `${messages.length} messages`}, newest first.{" "}
        <Link href={mailboxHref({ to, id: openId })}>Refresh</Link>
      </p>
      <ol>
        {messages.map((m) => (
          <li key={m.id}>
            <Link href={`${mailboxHref({ to, id: m.id })}#message`} aria-current={m.id === openId ? "page" : undefined}>
              <span className={styles.subject}>{m.subject || "(no subject)"}</span>
              <span className={styles.summary}>To {m.to.join(", ")}</span>
              <span className={styles.summary}>
                <time dateTime={m.date}>{dateFormat.format(new Date(m.date))} UTC</time>
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
