import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

// Every mail the portal sent, with the UPN on whose behalf it went: the demo mailbox shows a person
// the mail recorded for them, never mail chosen by an address someone typed.

export interface SentMail {
  messageId: string;
  upn: string;
  recipient: string;
  subject: string;
  kind: string;
}

export async function recordSentMail(db: PortalDb, mail: SentMail, at = Date.now()): Promise<void> {
  await db.run(sql`
    INSERT INTO sent_mails (message_id, upn, recipient, subject, kind, sent_at)
    VALUES (${mail.messageId}, ${mail.upn.toLowerCase()}, ${mail.recipient}, ${mail.subject}, ${mail.kind}, ${at})
    ON CONFLICT (message_id) DO NOTHING`);
}

/** The Message-IDs of the newest mails sent on behalf of `upn`, newest first. */
export async function sentMessageIds(db: PortalDb, upn: string, limit = 200): Promise<string[]> {
  const rows = await db.all<{ messageId: string }>(sql`
    SELECT message_id AS "messageId" FROM sent_mails WHERE upn = ${upn.toLowerCase()}
    ORDER BY sent_at DESC, id DESC LIMIT ${limit}`);
  return rows.map((r) => r.messageId);
}
