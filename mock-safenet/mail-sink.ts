import crypto from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { simpleParser, type AddressObject } from "mailparser";
import type { SimDb } from "./db";
import { mailMessages } from "./db/schema";
import type { Keyring } from "./keys";
import type { MailboxAttachment, MailboxMessage } from "../lib/safenet/contract";

// The development mail sink: SMTP in, JSON out. Bodies and attachments carry activation keys and
// seed files, so they are sealed under the master key; addresses and subjects stay searchable.

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

interface SealedMail {
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; base64: string }[];
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase())).filter(Boolean);
}

/** A Message-ID in its header form, "<left@right>", whether or not the caller wrote the brackets. */
export function normalizeMessageId(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, "");
  return bare ? `<${bare}>` : "";
}

export interface MailboxFilter {
  to?: string;
  /** Only messages whose Message-ID header is one of these. */
  messageIds?: string[];
}

export function makeMailbox(db: SimDb, keys: Keyring) {
  return {
    async store(raw: Buffer, envelopeTo: string[]): Promise<string> {
      const mail = await simpleParser(raw);
      const id = crypto.randomBytes(9).toString("base64url");
      const to = [...new Set([...addresses(mail.to), ...addresses(mail.cc), ...envelopeTo.map((a) => a.toLowerCase())])];
      const attachments = mail.attachments.map((a, i) => ({
        filename: a.filename ?? `attachment-${i + 1}`,
        contentType: a.contentType,
        base64: a.content.toString("base64"),
      }));
      const body: SealedMail = { text: mail.text ?? "", html: typeof mail.html === "string" ? mail.html : "", attachments };
      db.insert(mailMessages)
        .values({
          id,
          receivedAt: (mail.date ?? new Date()).getTime(),
          sender: mail.from?.value[0]?.address?.toLowerCase() ?? "",
          recipients: `,${to.join(",")},`,
          subject: mail.subject ?? "",
          messageId: mail.messageId ? normalizeMessageId(mail.messageId) : "",
          attachments: attachments.map(({ filename, contentType, base64 }) => ({ filename, contentType, size: Buffer.from(base64, "base64").length })),
          sealed: keys.sealMail(Buffer.from(JSON.stringify(body)), id),
        })
        .run();
      return id;
    },

    list({ to, messageIds }: MailboxFilter = {}): MailboxMessage[] {
      const wanted = messageIds?.map(normalizeMessageId).filter(Boolean);
      const rows = db
        .select()
        .from(mailMessages)
        .where(
          and(
            to ? sql`instr(${mailMessages.recipients}, ${`,${to.toLowerCase()},`}) > 0` : undefined,
            // An empty list matches nothing (not everything).
            wanted ? (wanted.length > 0 ? inArray(mailMessages.messageId, wanted) : sql`0`) : undefined,
          ),
        )
        .orderBy(desc(mailMessages.receivedAt))
        .limit(200)
        .all();
      return rows.map((r) => {
        const body = JSON.parse(keys.openMail(r.sealed, r.id).toString()) as SealedMail;
        return {
          id: r.id,
          from: r.sender,
          to: r.recipients.split(",").filter(Boolean),
          subject: r.subject,
          messageId: r.messageId,
          date: new Date(r.receivedAt).toISOString(),
          text: body.text,
          html: body.html,
          attachments: r.attachments as MailboxAttachment[],
        };
      });
    },

    attachment(id: string, filename: string) {
      const row = db.select().from(mailMessages).where(eq(mailMessages.id, id)).get();
      if (!row) return undefined;
      const body = JSON.parse(keys.openMail(row.sealed, row.id).toString()) as SealedMail;
      const found = body.attachments.find((a) => a.filename === filename);
      return found && { contentType: found.contentType, bytes: Buffer.from(found.base64, "base64") };
    },

    clear(): number {
      return db.delete(mailMessages).run().changes;
    },
  };
}

export type Mailbox = ReturnType<typeof makeMailbox>;

/** Accepts every message on 127.0.0.1 without authentication or TLS, as a development sink does. */
export function startSmtpSink(
  mailbox: Mailbox,
  host: string,
  port: number,
  log: (line: string) => void,
  settled: () => Promise<void> = () => Promise.resolve(),
): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error("Message exceeds the 10 MiB limit of the mail sink"), { responseCode: 552 }));
          return;
        }
        mailbox
          .store(Buffer.concat(chunks), session.envelope.rcptTo.map((r) => r.address))
          // The message may have joined an open group commit: accept it only once it is durable.
          .then(async (id) => {
            await settled();
            log(`mail sink: stored message ${id} for ${session.envelope.rcptTo.length} recipient(s)`);
            callback();
          })
          .catch((err: Error) => callback(Object.assign(new Error(`Could not store the message: ${err.message}`), { responseCode: 451 })));
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      server.on("error", (err) => log(`mail sink error: ${err.message}`));
      resolve(server);
    });
  });
}
