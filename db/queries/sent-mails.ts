import { desc, eq } from "drizzle-orm";
import { getDb } from "../index";
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

export function recordSentMail(mail: SentMail, at = Date.now()): void {
  getDb()
    .insert(sentMails)
    .values({ ...mail, upn: mail.upn.toLowerCase(), sentAt: at })
    .onConflictDoNothing({ target: sentMails.messageId })
    .run();
}

/** The Message-IDs of the newest mails sent on behalf of `upn`, newest first. */
export function sentMessageIds(upn: string, limit = 200): string[] {
  return getDb()
    .select({ messageId: sentMails.messageId })
    .from(sentMails)
    .where(eq(sentMails.upn, upn.toLowerCase()))
    .orderBy(desc(sentMails.sentAt), desc(sentMails.id))
    .limit(limit)
    .all()
    .map((r) => r.messageId);
}
