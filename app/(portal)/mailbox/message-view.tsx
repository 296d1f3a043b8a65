import type { MailboxMessage } from "@/lib/server/mail/mailbox";
import { FRAME_SANDBOX, frameDocument } from "./frame-document";
import styles from "./mailbox.module.css";

// One message of the demo mailbox: headers, attachments, the HTML part in a sandboxed frame (no
// scripts, no same-origin access; links open in a new tab) and the text part as sent.

export const dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "medium" });

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`;
}

export function attachmentHref(id: string, filename: string): string {
  return `/api/mailbox/${encodeURIComponent(id)}/attachments/${encodeURIComponent(filename)}`;
}

export function MessageView({ message }: { message: MailboxMessage }) {
  const titleId = "message-title";
  const subject = message.subject || "(no subject)";
  return (
    <article className={styles.message} aria-labelledby={titleId}>
      <h2 id={titleId}>{subject}</h2>
      <dl className={styles.meta}>
        <dt>From</dt>
        <dd>{message.from || "(unknown sender)"}</dd>
        <dt>To</dt>
        <dd>{message.to.join(", ")}</dd>
        <dt>Date</dt>
        <dd>
          <time dateTime={message.date}>{dateFormat.format(new Date(message.date))} UTC</time>
        </dd>
      </dl>

      <h3>Attachments</h3>
      {message.attachments.length === 0 ? (
        <p className="muted">No attachments.</p>
      ) : (
        <ul>
          {message.attachments.map((a) => (
            <li key={a.filename}>
              <a href={attachmentHref(message.id, a.filename)} download={a.filename}>
                {a.filename}
              </a>{" "}
              <span className="muted">
                ({a.contentType}, {formatSize(a.size)})
              </span>
            </li>
          ))}
        </ul>
      )}

      <h3>HTML version</h3>
      {message.html ? (
        <iframe className={styles.html} sandbox={FRAME_SANDBOX} srcDoc={frameDocument(message.html)} title={`HTML version of “${subject}”`} />
      ) : (
        <p className="muted">This message has no HTML part.</p>
      )}

      <h3>Text version</h3>
      {message.text ? <pre className={styles.text}>{message.text}</pre> : <p className="muted">This message has no text part.</p>}
    </article>
  );
}
