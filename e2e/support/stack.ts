import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { hotp } from "../../lib/otp";
import { readPskc } from "../../lib/pskc";
import { isPostgresUrl } from "../../lib/runtime/sql/types";

// The e2e stack's addresses and keys (playwright.config.ts starts it), and direct TMS calls for
// arranging what a test needs: users, tokens, policy.

const slot = Number(process.env.E2E_SLOT ?? 0);
export const E2E = {
  slot,
  portalPort: 3100 + slot,
  safenetPort: 4110 + slot,
  smtpPort: 2625 + slot,
  /** UDP: the simulator's RADIUS front end (the connection test sends its OTP step there too). */
  radiusPort: 1912 + slot,
  /** A second portal on the same data and simulator, reached only through the TLS terminator. */
  tlsPortalPort: 3200 + slot,
  tlsPort: 3400 + slot,
  dataDir: slot ? `data/e2e-${slot}` : "data/e2e",
};
export const SAFENET_URL = `http://127.0.0.1:${E2E.safenetPort}`;
export const PORTAL_URL = `http://127.0.0.1:${E2E.portalPort}`;
/** The "chromium-tls" project's portal: https, behind e2e/support/tls-proxy.ts. */
export const TLS_PORTAL_URL = `https://127.0.0.1:${E2E.tlsPort}`;
export const TMS_KEY = "e2e-tms-api-key-0123456789";
export const AGENT_KEY = "e2e-agent-key-0123456789";
/** The secret of the simulator's first auth node (127.0.0.1), which the portal uses as a RADIUS client. */
export const RADIUS_SECRET = "e2e-radius-secret-0123456789";
export const E2E_DIR = path.resolve(__dirname, "../..", E2E.dataDir);
export const TLS_CERT_DIR = path.join(E2E_DIR, "tls");
/** Each state holds the sessions of both portals: cookies ignore ports, and each portal reads only its own cookie name. */
export const ADMIN_STATE = path.join(E2E_DIR, "admin-state.json");
export const EMPLOYEE_STATE = path.join(E2E_DIR, "employee-state.json");
/** An employee with an Active token, signed in with PIN + OTP. */
export const MEMBER_STATE = path.join(E2E_DIR, "member-state.json");
export const PIN = "4089";

export const ADMIN = { upn: "bob@corp.local", password: "Bob!2026" };
export const EMPLOYEE = { upn: "alice@corp.local", password: "Alice!2026" };
export const MEMBER = { upn: "e2emember@corp.local", password: "E2e!Passw0rd" };

export async function tms<T = unknown>(p: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const res = await fetch(`${SAFENET_URL}/TMSWebAPI/v1${p}`, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${TMS_KEY}`, ...(init.json !== undefined && { "content-type": "application/json" }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`TMS ${init.method ?? "GET"} ${p}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** An event-based token whose codes a test can compute; the next counter lives in a file so specs share it. */
export interface KnownToken {
  upn: string;
  serial: string;
  secretHex: string;
  counter: number;
}

const tokenFile = (upn: string) => path.join(E2E_DIR, `token-${upn.split("@")[0]}.json`);

export async function createUser(sam: string, groups: string[] = [], password = "E2e!Passw0rd"): Promise<string> {
  const upn = `${sam}@corp.local`;
  await tms(`/repositories/corp.local/users`, { json: { upn, displayName: `E2E ${sam}`, email: upn, password, groups } });
  return upn;
}

/** Provisions and activates an event token for `upn` (removing older ones), with PIN 4089. */
export async function activeEventToken(upn: string): Promise<KnownToken> {
  const user = await tms<{ tokens: { serial: string }[] }>(`/repositories/corp.local/users/${upn}`);
  for (const t of user.tokens) await tms(`/tokens/${t.serial}`, { method: "DELETE" });
  const { token, activation } = await tms<{ token: { serial: string }; activation: { activationKey: string; seedFile: { base64: string } } }>(
    `/repositories/corp.local/users/${upn}/tokens`,
    { json: { type: "MobilePASS", otpMode: "event", pin: PIN } },
  );
  const [key] = await readPskc(Buffer.from(activation.seedFile.base64, "base64").toString(), activation.activationKey);
  await tms(`/tokens/${token.serial}/activate`, { json: { passcode: PIN + hotp(key.secret, 0) } });
  const known = { upn, serial: token.serial, secretHex: Buffer.from(key.secret).toString("hex"), counter: 1 };
  fs.writeFileSync(tokenFile(upn), JSON.stringify(known));
  return known;
}

/** The next PIN + OTP of a known token, advancing its counter for later specs. */
export function nextPasscode(upn: string): string {
  const known = JSON.parse(fs.readFileSync(tokenFile(upn), "utf8")) as KnownToken;
  const code = hotp(Buffer.from(known.secretHex, "hex"), known.counter);
  fs.writeFileSync(tokenFile(upn), JSON.stringify({ ...known, counter: known.counter + 1 }));
  return PIN + code;
}

export interface SinkMail {
  id: string;
  subject: string;
  messageId: string;
  to: string[];
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

/** The messages the simulator's mail sink holds for `to`, newest first. */
export async function mailbox(to: string): Promise<SinkMail[]> {
  const res = await fetch(`${SAFENET_URL}/mailbox/messages?to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${TMS_KEY}` } });
  if (!res.ok) throw new Error(`mailbox ${to}: ${res.status}`);
  return ((await res.json()) as { messages: SinkMail[] }).messages;
}

export async function mailSubjects(to: string): Promise<string[]> {
  return (await mailbox(to)).map((m) => m.subject);
}

export type ArrangedState = "none" | "Assigned" | "Active" | "Locked" | "Suspended" | "Lost";

/** Gives `upn` one token in `state` through the TMS API and the validator, as SafeNet itself would. */
export async function tokenInState(upn: string, state: ArrangedState): Promise<KnownToken | null> {
  if (state === "none") return null;
  if (state === "Assigned") {
    const { token } = await tms<{ token: { serial: string } }>(`/repositories/corp.local/users/${upn}/tokens`, {
      json: { type: "MobilePASS", otpMode: "event", pin: PIN },
    });
    return { upn, serial: token.serial, secretHex: "", counter: 0 };
  }
  const known = await activeEventToken(upn);
  if (state === "Suspended") await tms(`/tokens/${known.serial}/suspend`, { json: {} });
  if (state === "Lost") await tms(`/tokens/${known.serial}/revoke`, { json: {} });
  if (state === "Locked") {
    for (let i = 0; i < 3; i++) {
      await fetch(`${SAFENET_URL}/TokenValidator/TokenValidator.asmx`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-agent-key": AGENT_KEY },
        body: JSON.stringify({ username: upn, passcode: `${PIN}00000${i}` }),
      });
    }
  }
  const after = await tms<{ state: string }>(`/tokens/${known.serial}`);
  if (after.state !== state) throw new Error(`Arranging a ${state} token for ${upn} left it ${after.state}.`);
  return known;
}

/**
 * The e2e portal's database on PostgreSQL when DATABASE_URL names one (`npm run test:postgres`
 * exports it to Playwright and its web servers); otherwise E2E_DIR/portal.sqlite.
 */
export const PORTAL_DATABASE_URL = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined;

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the statements here have no `?` inside literals). */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

// One statement on PostgreSQL from a child process, so that portalSql can stay synchronous.
const PG_ONCE = `
const pg = require(process.argv[1]);
let input = "";
process.stdin.on("data", (d) => (input += d)).on("end", async () => {
  const { url, text, params } = JSON.parse(input);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { process.stdout.write(JSON.stringify((await client.query(text, params)).rows)); }
  finally { await client.end(); }
});`;

/**
 * Runs one statement (with `?` placeholders) on the e2e portal's database, SQLite or PostgreSQL,
 * and returns its rows (none for a statement without RETURNING). Synchronous, for helpers that specs
 * call without await; write SQL that both dialects read (quote "user").
 */
export function portalSql<T = Record<string, unknown>>(text: string, params: unknown[] = []): T[] {
  if (PORTAL_DATABASE_URL) {
    const out = spawnSync(process.execPath, ["-e", PG_ONCE, require.resolve("pg")], {
      input: JSON.stringify({ url: PORTAL_DATABASE_URL, text: numbered(text), params }),
      encoding: "utf8",
      timeout: 30_000,
    });
    if (out.status !== 0) throw new Error(`The e2e portal database refused a statement: ${out.stderr || out.error}`);
    return JSON.parse(out.stdout) as T[];
  }
  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const statement = db.prepare(text);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}

/** A write like portalSql's, without a child process, for fixtures (nothing while SQLite has no file yet). */
export async function portalWrite(text: string, params: unknown[] = []): Promise<void> {
  if (!PORTAL_DATABASE_URL) {
    if (fs.existsSync(path.join(E2E_DIR, "portal.sqlite"))) portalSql(text, params);
    return;
  }
  const client = new pg.Client({ connectionString: PORTAL_DATABASE_URL });
  await client.connect();
  try {
    await client.query(numbered(text), params);
  } finally {
    await client.end();
  }
}

/**
 * Records a mail a test sent straight to the sink as if the portal had sent it on behalf of `upn`
 * (a row in sent_mails, as lib/mail/notifications.ts writes), so the employee's mailbox lists it.
 */
export function recordSentMail(upn: string, mail: { messageId: string; to: string; subject: string }): void {
  portalSql("INSERT INTO sent_mails (message_id, upn, recipient, subject, kind, sent_at) VALUES (?, ?, ?, ?, 'e2e', ?)", [
    mail.messageId,
    upn.toLowerCase(),
    mail.to,
    mail.subject,
    Date.now(),
  ]);
}
