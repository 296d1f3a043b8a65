import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "../../lib/runtime/sql";
import { REPO, startSimulator, TMS_KEY, AGENT_KEY, type Simulator } from "./harness";
import { freshPortalDb, portalDialects, type TestPortalDb } from "./support/portal-db";

// The portal's notifications sent for real: SMTP into the simulator's sink, read back through its
// mailbox API, with the sends recorded as events in a migrated portal database — on PostgreSQL
// (with TEST_POSTGRES_URL) and on SQLite, SQLite last since its run ends by stopping the simulator.

type Notifications = typeof import("../../lib/server/mail/notifications");
type Db = typeof import("../../db/index");
type Mailbox = typeof import("../../lib/server/mail/mailbox");

interface Message {
  id: string;
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

let sim: Simulator;
let mail: Notifications;
let db: Db;
let mailbox: Mailbox;
let run = crypto.randomBytes(4).toString("hex");
const to = (who: string) => `${who}.${run}@example.com`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-mail-"));

beforeAll(async () => {
  sim = await startSimulator();
  // Before the first env() call: the portal's configuration is read once per process.
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    SAFENET_URL: sim.base,
    SMTP_URL: `smtp://127.0.0.1:${sim.smtpPort}`,
    SMTP_SINK_PORT: String(sim.smtpPort),
    SAFENET_TMS_API_KEY: TMS_KEY,
    SAFENET_AGENT_KEY: AGENT_KEY,
    NEXTAUTH_SECRET: "test-nextauth-secret",
    NEXTAUTH_URL: "http://127.0.0.1:3999",
  });
  mail = await import("../../lib/server/mail/notifications");
  db = await import("../../db/index");
  mailbox = await import("../../lib/server/mail/mailbox");
});

afterAll(async () => {
  await sim?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function inbox(address: string): Promise<Message[]> {
  const res = await sim.tms(`/mailbox/messages?to=${encodeURIComponent(address)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: Message[] }).messages;
}

function mailEvents(type: string) {
  return db
    .getDb()
    .all<{ type: string; kind: string; user: string; serial: string; result: string; reason: string | null; detail: string }>(
      sql`SELECT type, kind, "user", serial, result, reason, detail FROM events WHERE type = ${type} ORDER BY id`,
    );
}

const notice = (address: string, upn: string, serial: string) =>
  mail.sendSecurityNotice({ to: address, upn, displayName: "Alice Andersen", change: "activated", serial, at: new Date().toISOString(), clientIp: "198.51.100.7", by: "self" });

function sentRows() {
  return db.getDb().all<{ message_id: string; upn: string; recipient: string; subject: string; kind: string }>(
    sql`SELECT message_id, upn, recipient, subject, kind FROM sent_mails ORDER BY id`,
  );
}

async function provision(otpMode: "time" | "event", pin: string) {
  const res = await sim.tms(`${REPO}/users/alice@corp.local/tokens`, { method: "POST", json: { type: "MobilePASS", otpMode, pin } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as {
    token: { serial: string };
    activation: { activationKey: string; seedFile: { filename: string; contentType: string; base64: string }; downloadUrl: string };
  };
}

// PostgreSQL first: the SQLite run, always there, ends with the simulator stopped.
describe.each([...portalDialects()].reverse())("sending the portal's emails (%s)", (dialect) => {
  let t: TestPortalDb;
  beforeAll(async () => {
    t = await freshPortalDb(dialect);
    // The process's database handle (getDb) is opened again on this dialect's database.
    const global = globalThis as { portalDb?: { close(): Promise<void> } };
    await global.portalDb?.close();
    global.portalDb = undefined;
    if (t.target.dialect === "postgres") process.env.DATABASE_URL = t.target.url;
    else {
      delete process.env.DATABASE_URL;
      process.env.DATA_DIR = t.dir;
    }
    run = crypto.randomBytes(4).toString("hex");
  });
  afterAll(async () => {
    const global = globalThis as { portalDb?: { close(): Promise<void> } };
    await global.portalDb?.close();
    global.portalDb = undefined;
    await t?.close();
  });

  describe("sending the portal's emails", () => {
    it("knows that SMTP_URL is the simulator's sink", () => {
      expect(mail.mailSinkConfigured()).toBe(true);
    });

    it("delivers the activation email with both parts and the seed file as <serial>.pskc, byte for byte", async () => {
      const { token, activation } = await provision("time", "4089");
      const address = to("alice");
      await mail.sendActivationEmail({
        to: address,
        displayName: "Alice Andersen",
        upn: "alice@corp.local",
        serial: token.serial,
        otpMode: "time",
        activationKey: activation.activationKey,
        pin: "4089",
        seedFile: activation.seedFile,
        downloadUrl: activation.downloadUrl,
        portalUrl: "http://127.0.0.1:3999",
        split: false,
      });

      const [message, ...others] = await inbox(address);
      expect(others).toEqual([]);
      expect(message.subject).toBe(`Activate your SafeNet MobilePASS token ${token.serial}`);
      expect(message.from).toBe("safenet@corp.local");
      expect(message.to).toContain(address);
      for (const part of [message.text, message.html]) {
        expect(part).toContain(activation.activationKey);
        expect(part).toContain(token.serial);
        expect(part).toContain(activation.downloadUrl);
        expect(part).toContain("4089");
        expect(part).toContain("Place the attached seed file in the same folder as the MobilePASS client");
      }
      expect(message.text).not.toMatch(/<\/?[a-z][^>]*>/i);
      expect(message.html).toMatch(/<html/i);

      const seed = Buffer.from(activation.seedFile.base64, "base64");
      expect(message.attachments).toEqual([{ filename: `${token.serial}.pskc`, contentType: "application/pskc+xml", size: seed.length }]);
      const res = await sim.tms(`/mailbox/messages/${message.id}/attachments/${token.serial}.pskc`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(seed)).toBe(true);

      const [event] = (await mailEvents("mail.activation")).filter((e) => e.serial === token.serial);
      expect(event).toMatchObject({ kind: "enrollment", user: "alice@corp.local", result: "success", reason: null });
      expect(JSON.parse(event.detail)).toEqual({ to: address, subject: message.subject });
      expect(JSON.stringify(event)).not.toContain(activation.activationKey);
    });

    it("with split delivery sends neither the activation key nor the PIN", async () => {
      const { token, activation } = await provision("event", "5127");
      const address = to("split");
      await mail.sendActivationEmail({
        to: address,
        displayName: "Alice Andersen",
        upn: "alice@corp.local",
        serial: token.serial,
        otpMode: "event",
        activationKey: activation.activationKey,
        pin: "5127",
        seedFile: activation.seedFile,
        downloadUrl: activation.downloadUrl,
        portalUrl: "http://127.0.0.1:3999",
        split: true,
      });
      const [message] = await inbox(address);
      // The serial is random hex, so it could hold the PIN's digits by chance.
      for (const part of [message.text, message.html, message.subject].map((p) => p.replaceAll(token.serial, ""))) {
        expect(part).not.toContain(activation.activationKey);
        expect(part).not.toContain("5127");
      }
      expect(message.text).toContain("shown only in the portal");
      expect(message.text).toContain("press Generate");
      expect(message.attachments.map((a) => a.filename)).toEqual([`${token.serial}.pskc`]);
    });

    it("delivers a security notice for every kind of change, with its subject, and records each", async () => {
      const address = to("notices");
      const serial = "0123456789ABCDEF";
      const changes = ["issued", "reissued", "activated", "pin-changed", "lost", "revoked", "locked", "suspended", "reactivated", "unlocked", "resynced", "deleted"] as const;
      for (const change of changes) {
        await mail.sendSecurityNotice({ to: address, upn: "alice@corp.local", displayName: "Alice Andersen", change, serial, at: new Date().toISOString(), clientIp: "198.51.100.7", by: "self" });
      }
      const messages = await inbox(address);
      expect(messages).toHaveLength(changes.length);
      expect(messages.map((m) => m.subject)).toEqual(expect.arrayContaining([
        `A new SafeNet token ${serial} was issued to your account`,
        `Your SafeNet token ${serial} is active`,
        `Your SafeNet token ${serial} is locked`,
        `Your SafeNet token ${serial} was revoked`,
        `The PIN of your SafeNet token ${serial} was changed`,
        `Your SafeNet token ${serial} was deleted`,
      ]));
      for (const m of messages) expect(m.text).toContain("198.51.100.7");
      const events = (await mailEvents("mail.security-notice")).filter((e) => JSON.parse(e.detail).to === address);
      expect(events).toHaveLength(changes.length);
      for (const e of events) expect(e).toMatchObject({ user: "alice@corp.local", serial, result: "success" });
    });

    it("records every sent mail with the UPN it was sent for and the Message-ID the sink shows", async () => {
      const address = to("recorded");
      await notice(address, "Alice@corp.local", "00112233445566AA");
      const [message] = await inbox(address);
      expect(message.messageId).toMatch(/^<.+@.+>$/);
      const rows = (await sentRows()).filter((r) => r.recipient === address);
      expect(rows).toEqual([{ message_id: message.messageId, upn: "alice@corp.local", recipient: address, subject: message.subject, kind: "security-notice" }]);
    });

    it("shows an employee only the mail recorded for their UPN, never mail picked by the address it went to", async () => {
      const employee = (upn: string) => ({ upn, isAdmin: false, mfa: "done" });
      // Mail for alice that went to the address carol typed in, and mail for carol that went to alice's.
      const typed = to("carol-typed");
      await notice(typed, "alice@corp.local", "00112233445566BB");
      await notice("alice@corp.local", "carol@corp.local", "00112233445566CC");
      // Mail that reached the sink without the portal (nothing recorded), addressed to alice.
      const stray = (await import("nodemailer")).createTransport({ host: "127.0.0.1", port: sim.smtpPort, secure: false, ignoreTLS: true });
      await stray.sendMail({ from: "x@example.com", to: "alice@corp.local", subject: `stray ${run}`, text: "not from the portal" });

      const serialsOf = (list: Message[]) => list.map((m) => m.subject.match(/[0-9A-F]{16}/)?.[0] ?? m.subject);
      const alice = await mailbox.readMailbox(employee("ALICE@corp.local"));
      const carol = await mailbox.readMailbox(employee("carol@corp.local"));
      expect(serialsOf(alice)).toContain("00112233445566BB");
      expect(serialsOf(alice)).not.toContain("00112233445566CC");
      expect(serialsOf(alice)).not.toContain(`stray ${run}`);
      expect(serialsOf(carol)).toEqual(["00112233445566CC"]);
      // Everything alice sees was recorded for her, and nothing recorded for her is missing.
      const recorded = (await sentRows()).filter((r) => r.upn === "alice@corp.local").map((r) => r.message_id).sort();
      expect(alice.map((m) => m.messageId).sort()).toEqual(recorded);

      const carolsId = carol[0].id;
      const strayId = (await inbox("alice@corp.local")).find((m) => m.subject === `stray ${run}`)!.id;
      expect(await mailbox.canReadMessage(employee("carol@corp.local"), carolsId)).toBe(true);
      expect(await mailbox.canReadMessage(employee("alice@corp.local"), carolsId)).toBe(false);
      expect(await mailbox.canReadMessage(employee("alice@corp.local"), strayId)).toBe(false);
      expect(await mailbox.canReadMessage(employee("nobody@corp.local"), carolsId)).toBe(false);
      expect(await mailbox.readMailbox(employee("nobody@corp.local"))).toEqual([]);
      // An administrator who passed MFA reads all of it; one who has not, only their own.
      expect(await mailbox.canReadMessage({ upn: "bob@corp.local", isAdmin: true, mfa: "done" }, strayId)).toBe(true);
      expect(await mailbox.canReadMessage({ upn: "bob@corp.local", isAdmin: true, mfa: "pending" }, strayId)).toBe(false);
      expect((await mailbox.readMailbox({ upn: "bob@corp.local", isAdmin: true, mfa: "done" }, "alice@corp.local")).map((m) => m.id)).toContain(strayId);
    });

    it("tells a factor change to the address the directory holds now, records it for the user, and never throws", async () => {
      const { notifyFactorChange } = await import("../../lib/server/mail/factor-notice");
      const { safenetClient } = await import("../../lib/server/safenet/client");
      const client = safenetClient({ tmsUrl: `${sim.base}/TMSWebAPI/v1`, otpServiceUrl: `${sim.base}/TokenValidator/TokenValidator.asmx`, repository: "corp.local" });
      const directory = to("directory");
      const patched = await sim.tms(`${REPO}/users/alice@corp.local`, { method: "PATCH", json: { email: directory } });
      expect(patched.status, await patched.clone().text()).toBe(200);

      const outcome = await notifyFactorChange({ upn: "alice@corp.local", change: "pin-changed", serial: "00112233445566DD", clientIp: "203.0.113.9", client });
      expect(outcome).toEqual({ sent: true, to: directory });
      const [message, ...others] = await inbox(directory);
      expect(others).toEqual([]);
      expect(message.subject).toBe("The PIN of your SafeNet token 00112233445566DD was changed");
      expect(message.text).toContain("203.0.113.9");
      const alice = await mailbox.readMailbox({ upn: "alice@corp.local", isAdmin: false, mfa: "done" });
      expect(alice.map((m) => m.id)).toContain(message.id);

      // The directory cannot be read: no mail, a failed mail event, and the caller carries on.
      const down = safenetClient({ tmsUrl: "http://127.0.0.1:9/TMSWebAPI/v1", otpServiceUrl: "http://127.0.0.1:9/", repository: "corp.local" });
      const failed = await notifyFactorChange({ upn: "alice@corp.local", change: "revoked", serial: "00112233445566EE", clientIp: "203.0.113.9", by: "admin", client: down });
      expect(failed.sent).toBe(false);
      expect((await mailEvents("mail.security-notice")).filter((e) => e.serial === "00112233445566EE")).toEqual([
        expect.objectContaining({ user: "alice@corp.local", result: "failure", reason: "directory_unavailable" }),
      ]);
    });

    it.runIf(dialect === "sqlite")("throws a clear error and records a failure when the mail server cannot be reached", async () => {
      await sim.stop();
      const address = to("down");
      await expect(notice(address, "alice@corp.local", "FEDCBA9876543210")).rejects.toThrow(
        new RegExp(`could not be sent to ${address.replace(/\./g, "\\.")} through the mail server 127\\.0\\.0\\.1:${sim.smtpPort}`),
      );
      const failures = (await mailEvents("mail.security-notice")).filter((e) => JSON.parse(e.detail).to === address);
      expect(failures).toEqual([expect.objectContaining({ result: "failure", reason: "smtp_failed", serial: "FEDCBA9876543210" })]);
    });
  });
});
