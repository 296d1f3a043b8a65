import crypto from "node:crypto";
import { SMTPServer } from "smtp-server";
import { simpleParser, type AddressObject } from "mailparser";
import { sql, type Sql } from "../lib/runtime/sql";
import type { Keyring } from "./keys";
import { contains } from "./like";
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

interface MessageRow {
  id: string;
  receivedAt: number;
  sender: string;
  recipients: string;
  subject: string;
  messageId: string;
  attachments: string;
  sealed: Buffer;
}

const MESSAGE_COLUMNS = sql`id, received_at AS "receivedAt", sender, recipients, subject, message_id AS "messageId", attachments, sealed`;

// PostgreSQL's text refuses NUL; the searchable header fields drop it (the sealed body keeps every byte).
const clean = (text: string) => text.replace(/\0/g, "");

/** The Message-ID to file the mail under; one longer than a header line may be (998) is not kept: no index takes it on every database. */
const messageIdOf = (raw: string | undefined) => {
  const id = clean(raw ? normalizeMessageId(raw) : "");
  return id.length <= 998 ? id : "";
};

export function makeMailbox(db: Sql, keys: Keyring) {
  const open = (r: Pick<MessageRow, "id" | "sealed">) => JSON.parse(keys.openMail(Buffer.from(r.sealed), r.id).toString()) as SealedMail;

  return {
    async store(raw: Buffer, envelopeTo: string[]): Promise<string> {
      const mail = await simpleParser(raw);
      const id = crypto.randomBytes(9).toString("base64url");
      const to = [...new Set([...addresses(mail.to), ...addresses(mail.cc), ...envelopeTo.map((a) => a.toLowerCase())])].map(clean);
      const attachments = mail.attachments.map((a, i) => ({
        filename: a.filename ?? `attachment-${i + 1}`,
        contentType: a.contentType,
        base64: a.content.toString("base64"),
      }));
      const body: SealedMail = { text: mail.text ?? "", html: typeof mail.html === "string" ? mail.html : "", attachments };
      const dated = mail.date?.getTime();
      const listed = attachments.map(({ filename, contentType, base64 }) => ({ filename, contentType, size: Buffer.from(base64, "base64").length }));
      await db.run(
        sql`INSERT INTO mail_messages (id, received_at, sender, recipients, subject, message_id, attachments, sealed)
            VALUES (${id}, ${Number.isFinite(dated) ? dated : Date.now()}, ${clean(mail.from?.value[0]?.address?.toLowerCase() ?? "")},
                    ${`,${to.join(",")},`}, ${clean(mail.subject ?? "")}, ${messageIdOf(mail.messageId)},
                    ${JSON.stringify(listed)}, ${keys.sealMail(Buffer.from(JSON.stringify(body)), id)})`,
      );
      return id;
    },

    async list({ to, messageIds }: MailboxFilter = {}): Promise<MailboxMessage[]> {
      const wanted = messageIds?.map(normalizeMessageId).filter(Boolean);
      const conds = [sql`1 = 1`];
      // Recipients are stored as ",a@x,b@y,": a whole address between commas, never part of one.
      if (to) conds.push(sql`recipients LIKE ${contains(`,${to.toLowerCase()},`)} ESCAPE '\\'`);
      // An empty list matches nothing (not everything).
      if (wanted) conds.push(wanted.length > 0 ? sql`message_id IN (${sql.join(wanted)})` : sql`1 = 0`);
      const rows = await db.all<MessageRow>(
        sql`SELECT ${MESSAGE_COLUMNS} FROM mail_messages WHERE ${sql.join(conds, " AND ")} ORDER BY received_at DESC, id LIMIT 200`,
      );
      return rows.map((r) => {
        const body = open(r);
        return {
          id: r.id,
          from: r.sender,
          to: r.recipients.split(",").filter(Boolean),
          subject: r.subject,
          messageId: r.messageId,
          date: new Date(r.receivedAt).toISOString(),
          text: body.text,
          html: body.html,
          attachments: JSON.parse(r.attachments) as MailboxAttachment[],
        };
      });
    },

    async attachment(id: string, filename: string) {
      const row = await db.get<Pick<MessageRow, "id" | "sealed">>(sql`SELECT id, sealed FROM mail_messages WHERE id = ${id}`);
      if (!row) return undefined;
      const found = open(row).attachments.find((a) => a.filename === filename);
      return found && { contentType: found.contentType, bytes: Buffer.from(found.base64, "base64") };
    },

    async clear(): Promise<number> {
      return db.run(sql`DELETE FROM mail_messages`);
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
          // Resolves once the insert is committed: the message is accepted only when it is durable.
          .then((id) => {
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
