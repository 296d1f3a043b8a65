import { desc, eq } from "drizzle-orm";
import type { PortalDb } from "../index";
import { sentMails } from "../schema";

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
  await db
    .insert(sentMails)
    .values({ ...mail, upn: mail.upn.toLowerCase(), sentAt: at })
    .onConflictDoNothing({ target: sentMails.messageId });
}

/** The Message-IDs of the newest mails sent on behalf of `upn`, newest first. */
export async function sentMessageIds(db: PortalDb, upn: string, limit = 200): Promise<string[]> {
  const rows = await db
    .select({ messageId: sentMails.messageId })
    .from(sentMails)
    .where(eq(sentMails.upn, upn.toLowerCase()))
    .orderBy(desc(sentMails.sentAt), desc(sentMails.id))
    .limit(limit);
  return rows.map((r) => r.messageId);
}
