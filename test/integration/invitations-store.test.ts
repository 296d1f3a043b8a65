import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { PortalDb } from "../../db/index";
import {
  createInvitation,
  findInvitation,
  hasPendingInvitation,
  listInvitations,
  pendingInvitations,
  useInvitation,
  withdrawInvitation,
} from "../../db/queries/invitations";
import { sql } from "../../lib/runtime/sql";
import { hashLinkToken, LINK_TOKEN, newLinkToken } from "../../lib/invitations/link";
import { invitationState, INVITATION_TTL_MS } from "../../lib/invitations/state";
import { portalDbPerSuite, portalDialects, type TestPortalDb } from "./support/portal-db";

// The invitation store as an attacker meets it: a link works once, only for its user, only until
// it expires or is withdrawn, and the database never holds the link's token itself. On SQLite and,
// with TEST_POSTGRES_URL, on PostgreSQL, where two instances (two pools) race for one link.

const NOW = Date.UTC(2026, 4, 4, 10, 0, 0);
const DAVE = "dave@corp.local";

describe.each(portalDialects())("invitation links (%s)", (dialect) => {
  const suite = portalDbPerSuite(dialect, ["invitations"]);
  let db: PortalDb;
  let t: TestPortalDb;
  beforeEach(() => {
    ({ db, t } = suite);
  });

  async function invite(upn = DAVE, at = NOW, on: PortalDb = db) {
    const token = newLinkToken();
    const row = await createInvitation(on, { tokenHash: hashLinkToken(token), upn, email: "dave@corp.local", invitedBy: "bob@corp.local", expiresAt: at + INVITATION_TTL_MS }, at);
    return { token, row };
  }

  it("are 256 random bits in base64url, and their SHA-256 finds the invitation", async () => {
    const { token, row } = await invite();
    expect(token).toMatch(LINK_TOKEN);
    expect(row.expiresAt - row.createdAt).toBe(7 * 24 * 3600 * 1000);
    expect((await findInvitation(db, hashLinkToken(token)))?.id).toBe(row.id);
    expect(await findInvitation(db, token)).toBeNull();
    expect(invitationState(row, NOW)).toBe("sent");
  });

  it("work once: the second use of the same link is refused", async () => {
    const { token } = await invite();
    expect(await useInvitation(db, hashLinkToken(token), DAVE, NOW + 1000)).toMatchObject({ usedAt: NOW + 1000 });
    expect(await useInvitation(db, hashLinkToken(token), DAVE, NOW + 2000)).toBeNull();
    const row = await findInvitation(db, hashLinkToken(token));
    expect(row && invitationState(row, NOW + 2000)).toBe("used");
  });

  it("work once even when two uses race", async () => {
    const { token } = await invite();
    const results = await Promise.all(Array.from({ length: 10 }, () => useInvitation(db, hashLinkToken(token), DAVE, NOW + 1000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("work only for the invited user, in any spelling of the name, and another user's attempt leaves it pending", async () => {
    const { token } = await invite();
    expect(await useInvitation(db, hashLinkToken(token), "erin@corp.local", NOW + 1000)).toBeNull();
    expect(await hasPendingInvitation(db, DAVE, NOW + 1000)).toBe(true);
    expect(await useInvitation(db, hashLinkToken(token), "Dave@Corp.Local", NOW + 1000)).not.toBeNull();
  });

  it("stop working when they expire", async () => {
    const { token, row } = await invite();
    expect(await useInvitation(db, hashLinkToken(token), DAVE, row.expiresAt)).toBeNull();
    expect(invitationState(row, row.expiresAt)).toBe("expired");
    expect(await hasPendingInvitation(db, DAVE, row.expiresAt)).toBe(false);
    expect(await useInvitation(db, hashLinkToken(token), DAVE, row.expiresAt - 1)).not.toBeNull();
  });

  it("stop working when withdrawn, and a used one cannot be withdrawn afterwards", async () => {
    const { token, row } = await invite();
    expect(await withdrawInvitation(db, row.id, "bob@corp.local", NOW + 1000)).toMatchObject({ withdrawnBy: "bob@corp.local" });
    expect(await useInvitation(db, hashLinkToken(token), DAVE, NOW + 2000)).toBeNull();
    expect(await withdrawInvitation(db, row.id, "bob@corp.local", NOW + 3000)).toBeNull();
    const used = await invite(DAVE, NOW + 10_000);
    await useInvitation(db, hashLinkToken(used.token), DAVE, NOW + 11_000);
    expect(await withdrawInvitation(db, used.row.id, "bob@corp.local", NOW + 12_000)).toBeNull();
  });

  it("a new invitation withdraws the user's older pending one: one working link per user", async () => {
    const first = await invite();
    const second = await invite(DAVE, NOW + 1000);
    expect(await useInvitation(db, hashLinkToken(first.token), DAVE, NOW + 2000)).toBeNull();
    expect(await useInvitation(db, hashLinkToken(second.token), DAVE, NOW + 2000)).not.toBeNull();
    const states = (await listInvitations(db)).map((r) => invitationState(r, NOW + 2000));
    expect(states).toEqual(["used", "withdrawn"]);
  });

  it("pending ones are counted for the overview", async () => {
    await invite("a@corp.local");
    await invite("b@corp.local");
    const used = await invite("c@corp.local");
    await useInvitation(db, hashLinkToken(used.token), "c@corp.local", NOW + 1);
    const pending = await pendingInvitations(db, 5, NOW + 2);
    expect(pending.count).toBe(2);
    expect(pending.newest.map((r) => r.upn)).toEqual(["b@corp.local", "a@corp.local"]);
  });

  it("work once when two portal instances (two connections) race for one link", async () => {
    const other = t.openAnother();
    for (let round = 0; round < 5; round++) {
      const { token } = await invite(DAVE, NOW + round);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => useInvitation(i % 2 ? other : db, hashLinkToken(token), DAVE, NOW + round + 1000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  // Two SQLite connections in one process cannot both hold a transaction across awaits (the second
  // BEGIN IMMEDIATE would block the event loop); two processes can, and queue on the file's lock.
  it.runIf(dialect === "postgres")("two administrators inviting one user at once on two instances leave one working link", async () => {
    const other = t.openAnother();
    const links = await Promise.all(Array.from({ length: 10 }, (_, i) => invite(DAVE, NOW, i % 2 ? other : db)));
    expect((await pendingInvitations(db, 20, NOW + 1)).count).toBe(1);
    const working = await Promise.all(links.map((l) => useInvitation(db, hashLinkToken(l.token), DAVE, NOW + 2)));
    expect(working.filter(Boolean)).toHaveLength(1);
  });

  it("the database holds only the hash: the link token is nowhere in its bytes", async () => {
    const links = await Promise.all(["a", "b", "c"].map((u) => invite(`${u}@corp.local`)));
    const bytes = await storedBytes(t);
    for (const { token } of links) {
      const raw = Buffer.from(token, "base64url");
      for (const form of [token, raw, raw.toString("hex"), raw.toString("base64")]) expect(bytes.includes(form)).toBe(false);
      expect(bytes.includes(hashLinkToken(token))).toBe(true);
    }
  });
});

/** Everything the database holds, as bytes: SQLite's files after a checkpoint; on PostgreSQL every row of the table as text. */
async function storedBytes(t: TestPortalDb): Promise<Buffer> {
  const dir = t.dir;
  if (dir) {
    await t.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return Buffer.concat(fs.readdirSync(dir).filter((f) => f.startsWith("portal.sqlite")).map((f) => fs.readFileSync(path.join(dir, f))));
  }
  const rows = await t.db.all<{ row: string }>(sql`SELECT invitations::text AS row FROM invitations`);
  return Buffer.from(rows.map((r) => r.row).join("\n"));
}
