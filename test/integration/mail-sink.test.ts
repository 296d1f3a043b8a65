import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_KEY, startSimulator, TMS_KEY, type Simulator } from "./harness";
import { errorShapeProblems, expectRawError, rawRequest } from "./provision";
import { contractFetch } from "./support/contract-check";

// "Mail sink" of the contract: real SMTP in on 127.0.0.1, the mailbox API out on the HTTP port,
// bodies and attachments sealed on disk.

interface Attachment {
  filename: string;
  contentType: string;
  size: number;
}
interface Message {
  id: string;
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  date: string;
  text: string;
  html: string;
  attachments: Attachment[];
}

const marker = crypto.randomBytes(12).toString("hex");
const SUBJECT = `Your MobilePASS token ${marker}-subject`;
const TEXT = `Hello,\n\nyour activation key is TEXTBODY-${marker}.\nKeep it secret.\n`;
const HTML = `<p>Hello,</p><p>your activation key is <b>HTMLBODY-${marker}</b>.</p>`;
const SEED_NAME = "ABCDEF0123456789.pskc";
// XML with CRLF and LF line ends, trailing spaces and non-ASCII, so that any rewriting shows.
const SEED_BYTES = Buffer.concat([
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\r\n<pskc:KeyContainer Version="1.0">\n  <pskc:Secret>ATTACHBODY-${marker}</pskc:Secret>  \r\n`),
  Buffer.from("  <pskc:UserId>jürgen@corp.local</pskc:UserId>\n</pskc:KeyContainer>\n"),
  crypto.randomBytes(64),
]);
const FROM = "noreply@portal.example";
const TO = ["alice.mail@example.com", "bob.mail@example.com"];

let sim: Simulator;
let mainId: string;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => sim?.stop());

const transport = () => nodemailer.createTransport({ host: "127.0.0.1", port: sim.smtpPort, secure: false, ignoreTLS: true });

async function sendMail(options: nodemailer.SendMailOptions) {
  const info = await transport().sendMail({ from: FROM, subject: "note", text: "plain note", ...options });
  expect(info.rejected).toEqual([]);
  return info;
}

const mailbox = (p = "", init: RequestInit = {}) =>
  contractFetch(`${sim.base}/mailbox/messages${p}`, { ...init, headers: { authorization: `Bearer ${TMS_KEY}`, ...(init.headers as Record<string, string>) } });

async function list(to?: string): Promise<Message[]> {
  const res = await mailbox(to === undefined ? "" : `?to=${encodeURIComponent(to)}`);
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as { messages: Message[] };
  expect(Object.keys(body)).toEqual(["messages"]);
  return body.messages;
}

/**
 * What the simulator stored: its SQLite files, or on PostgreSQL (the database its log names) every
 * value of every mail row, text and bytes as they are.
 */
async function storedBytes(): Promise<Buffer> {
  const url = /^ {2}database +(postgres(?:ql)?:\/\/\S+)$/m.exec(sim.output())?.[1];
  if (!url) {
    const files = ["safenet.sqlite", "safenet.sqlite-wal"].map((f) => path.join(sim.dataDir, f)).filter((f) => fs.existsSync(f));
    expect(files).toContain(path.join(sim.dataDir, "safenet.sqlite"));
    return Buffer.concat(files.map((f) => fs.readFileSync(f)));
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>("SELECT * FROM mail_messages");
    return Buffer.concat(rows.flatMap((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v))))));
  } finally {
    await client.end();
  }
}

const bySubject = (messages: Message[], subject: string) => messages.filter((m) => m.subject === subject);

describe("mail sink", () => {
  it("stores an SMTP message with text, HTML and an attachment, and lists it with every field", async () => {
    const info = await sendMail({
      to: TO,
      subject: SUBJECT,
      text: TEXT,
      html: HTML,
      attachments: [{ filename: SEED_NAME, contentType: "application/pskc+xml", content: SEED_BYTES }],
    });
    const found = bySubject(await list(), SUBJECT);
    expect(found).toHaveLength(1);
    const m = found[0];
    mainId = m.id;
    expect(Object.keys(m).sort()).toEqual(["attachments", "date", "from", "html", "id", "messageId", "subject", "text", "to"]);
    // The Message-ID header exactly as the sender's SMTP client reports it.
    expect(info.messageId).toMatch(/^<.+@.+>$/);
    expect(m.messageId).toBe(info.messageId);
    expect(typeof m.id).toBe("string");
    expect(m.id.length).toBeGreaterThan(0);
    expect(m.from).toBe(FROM);
    expect([...m.to].sort()).toEqual([...TO].sort());
    expect(m.subject).toBe(SUBJECT);
    expect(new Date(m.date).toISOString()).toBe(m.date);
    expect(Math.abs(Date.parse(m.date) - Date.now())).toBeLessThan(5 * 60_000);
    expect(m.text.trimEnd()).toBe(TEXT.trimEnd());
    expect(m.html).toContain(`<b>HTMLBODY-${marker}</b>`);
    expect(m.attachments).toEqual([{ filename: SEED_NAME, contentType: "application/pskc+xml", size: SEED_BYTES.length }]);
  });

  it("filters by recipient with ?to=, case-insensitively and never on part of an address", async () => {
    const tag = crypto.randomBytes(4).toString("hex");
    await sendMail({ to: "a@x.com", subject: `to a ${tag}` });
    await sendMail({ to: "aa@x.com", subject: `to aa ${tag}` });
    await sendMail({ to: "b@x.com", cc: "a@x.com", subject: `cc a ${tag}` });
    const subjects = async (to: string) =>
      (await list(to))
        .map((m) => m.subject)
        .filter((s) => s.endsWith(tag))
        .sort();

    expect(await subjects("a@x.com")).toEqual([`cc a ${tag}`, `to a ${tag}`]);
    expect(await subjects("A@X.COM")).toEqual([`cc a ${tag}`, `to a ${tag}`]);
    expect(await subjects("aa@x.com")).toEqual([`to aa ${tag}`]);
    expect(await subjects("b@x.com")).toEqual([`cc a ${tag}`]);
    for (const partial of ["a", "x.com", "@x.com", "a@x", "a@x.co", " a@x.com", "_@x.com", "%@x.com", "a%", "%"]) {
      expect(await subjects(partial), `?to=${partial}`).toEqual([]);
    }
    const main = await list("BOB.MAIL@example.com");
    expect(main.map((m) => m.id)).toEqual([mainId]);
    expect(main[0].text.trimEnd()).toBe(TEXT.trimEnd());
    expect(await list("nobody@example.com")).toEqual([]);
  });

  it("filters by Message-ID with ?messageId=, repeated or comma-separated, and never returns others", async () => {
    const tag = crypto.randomBytes(4).toString("hex");
    const sent = [];
    for (const n of [1, 2, 3]) sent.push((await sendMail({ to: "same@x.com", subject: `mid ${n} ${tag}` })).messageId as string);
    const subjects = async (query: string) =>
      (await listQuery(query))
        .map((m) => m.subject)
        .sort();
    const listQuery = async (query: string) => {
      const res = await mailbox(query);
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { messages: Message[] }).messages;
    };
    const q = (...ids: string[]) => ids.map((id) => `messageId=${encodeURIComponent(id)}`).join("&");

    expect(await subjects(`?${q(sent[0])}`)).toEqual([`mid 1 ${tag}`]);
    expect(await subjects(`?${q(sent[0], sent[2])}`)).toEqual([`mid 1 ${tag}`, `mid 3 ${tag}`]);
    expect(await subjects(`?messageId=${encodeURIComponent(`${sent[1]},${sent[2]}`)}`)).toEqual([`mid 2 ${tag}`, `mid 3 ${tag}`]);
    // Without the angle brackets too.
    expect(await subjects(`?${q(sent[1].slice(1, -1))}`)).toEqual([`mid 2 ${tag}`]);
    // Combined with ?to=, both must match.
    expect(await subjects(`?${q(sent[0])}&to=same@x.com`)).toEqual([`mid 1 ${tag}`]);
    expect(await subjects(`?${q(sent[0])}&to=other@x.com`)).toEqual([]);
    // Unknown, partial, empty or wildcard ids match nothing; they never widen to every message.
    for (const id of ["<nobody@nowhere>", sent[0].slice(0, -3), sent[0].slice(3), "", ",", "%", "<>", "*"]) {
      expect(await listQuery(`?${q(id)}`), `?messageId=${id}`).toEqual([]);
    }
    const all = await listQuery(`?${q(...sent)}`);
    expect(all.map((m) => m.messageId).sort()).toEqual([...sent].sort());
  });

  it("finds recipients whose address contains _ or % (legal in a local part)", async () => {
    const tag = crypto.randomBytes(4).toString("hex");
    await sendMail({ to: "first_last@x.com", subject: `underscore ${tag}` });
    await sendMail({ to: "firstlast@x.com", subject: `plain ${tag}` });
    await sendMail({ to: "pct%sign@x.com", subject: `percent ${tag}` });
    await sendMail({ to: "pctsign@x.com", subject: `no percent ${tag}` });
    const subjects = async (to: string) =>
      (await list(to))
        .map((m) => m.subject)
        .filter((s) => s.endsWith(tag));
    expect.soft(await subjects("first_last@x.com"), "?to=first_last@x.com").toEqual([`underscore ${tag}`]);
    expect.soft(await subjects("FIRST_LAST@X.COM"), "?to=FIRST_LAST@X.COM").toEqual([`underscore ${tag}`]);
    expect(await subjects("firstlast@x.com"), "?to=firstlast@x.com").toEqual([`plain ${tag}`]);
    expect.soft(await subjects("pct%sign@x.com"), "?to=pct%sign@x.com").toEqual([`percent ${tag}`]);
    expect(await subjects("pctsign@x.com"), "?to=pctsign@x.com").toEqual([`no percent ${tag}`]);
  });

  it("returns the exact attachment bytes with their content type", async () => {
    const res = await mailbox(`/${mainId}/attachments/${encodeURIComponent(SEED_NAME)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/pskc\+xml\b/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(SEED_BYTES)).toBe(true);
  });

  it("answers an unknown message id or file name with 404 in the error shape", async () => {
    for (const p of [
      `/AAAAAAAAAAAA/attachments/${SEED_NAME}`,
      `/${mainId}/attachments/other.pskc`,
      `/${mainId}/attachments/${SEED_NAME.toLowerCase()}`,
      `/${mainId}/attachments/${SEED_NAME}.exe`,
      `/${mainId}x/attachments/${SEED_NAME}`,
    ]) {
      const res = await rawRequest(sim.base, "GET", `/mailbox/messages${p}`, { headers: { authorization: `Bearer ${TMS_KEY}` } });
      expectRawError(res, 404, "not_found");
    }
  });

  it("answers a missing or wrong key with 401, and deletes nothing without the key", async () => {
    const wrong: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-key-0123456789abcdef" },
      { authorization: `Bearer ${AGENT_KEY}` },
      { authorization: TMS_KEY },
      { authorization: `Basic ${Buffer.from(`x:${TMS_KEY}`).toString("base64")}` },
      { authorization: `Bearer ${TMS_KEY}x` },
      { "x-agent-key": AGENT_KEY },
    ];
    for (const headers of wrong) {
      for (const [method, p] of [
        ["GET", "/mailbox/messages"],
        ["GET", `/mailbox/messages?to=${TO[0]}`],
        ["GET", `/mailbox/messages/${mainId}/attachments/${SEED_NAME}`],
        ["DELETE", "/mailbox/messages"],
      ]) {
        const res = await rawRequest(sim.base, method, p, { headers });
        expectRawError(res, 401, "unauthorized");
        expect(res.text).not.toContain(marker);
      }
    }
    expect(bySubject(await list(), SUBJECT)).toHaveLength(1);
  });

  it("keeps the body and the attachment sealed in the database while the API returns them", async () => {
    const disk = await storedBytes();
    // The subject is stored in the clear (it stays searchable): finding it proves these are the right bytes.
    expect(disk.includes(Buffer.from(SUBJECT)), "subject in the database").toBe(true);
    const secrets: [string, Buffer][] = [
      ["text body", Buffer.from(`TEXTBODY-${marker}`)],
      ["HTML body", Buffer.from(`HTMLBODY-${marker}`)],
      ["attachment bytes", Buffer.from(`ATTACHBODY-${marker}`)],
      ["whole attachment", SEED_BYTES],
      ["attachment base64", Buffer.from(SEED_BYTES.toString("base64").slice(0, 48))],
      ["attachment tail", SEED_BYTES.subarray(SEED_BYTES.length - 32)],
    ];
    for (const [what, needle] of secrets) expect(disk.includes(needle), `${what} in the clear on disk`).toBe(false);
    // The simulator's log does not carry them either.
    for (const s of [`TEXTBODY-${marker}`, `HTMLBODY-${marker}`, `ATTACHBODY-${marker}`]) expect(sim.output()).not.toContain(s);
    // …while the API opens them.
    const [m] = bySubject(await list(), SUBJECT);
    expect(m.text).toContain(`TEXTBODY-${marker}`);
    expect(m.html).toContain(`HTMLBODY-${marker}`);
  });

  it("keeps messages and attachments across a simulator restart", async () => {
    const before = bySubject(await list(), SUBJECT);
    await sim.restart();
    const after = bySubject(await list(), SUBJECT);
    expect(after).toEqual(before);
    const res = await mailbox(`/${mainId}/attachments/${encodeURIComponent(SEED_NAME)}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(SEED_BYTES)).toBe(true);
    // SMTP works again after the restart.
    await sendMail({ to: "after.restart@example.com", subject: `after restart ${marker}` });
    expect((await list("after.restart@example.com")).map((m) => m.subject)).toEqual([`after restart ${marker}`]);
  });

  it("empties the mailbox with DELETE /mailbox/messages", async () => {
    expect((await list()).length).toBeGreaterThan(0);
    const res = await mailbox("", { method: "DELETE" });
    expect(res.status).toBeLessThan(300);
    expect(await list()).toEqual([]);
    expect(await list(TO[0])).toEqual([]);
    const gone = await rawRequest(sim.base, "GET", `/mailbox/messages/${mainId}/attachments/${SEED_NAME}`, { headers: { authorization: `Bearer ${TMS_KEY}` } });
    expect(errorShapeProblems(gone.json)).toEqual([]);
    expect(gone.status).toBe(404);
  });
});
