import crypto from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type Sql } from "../../lib/runtime/sql";
import { makeDirectory, type Directory, type RepositoryRow } from "../../mock-safenet/directory";
import { createKeyring } from "../../mock-safenet/keys";
import { makeMailbox, type Mailbox } from "../../mock-safenet/mail-sink";
import { DEMO_USERS, seedDemoDirectory, seedSyntheticUsers } from "../../mock-safenet/seed";
import { createTestDatabase, DIALECTS, TEST_POSTGRES_URL, type TestDatabase } from "./support/sim-db";

// The directory, the mail sink and the seeds on each database they run on: SQLite always, and
// PostgreSQL when TEST_POSTGRES_URL names a cluster. The same assertions hold on both.

const PASSWORD = "Sql!Dialect2026";

describe.each(DIALECTS)("directory on %s", (dialect) => {
  let t: TestDatabase;
  let directory: Directory;
  let repo: RepositoryRow;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    directory = makeDirectory(t.db);
    expect((await seedDemoDirectory(t.db, directory)).map((u) => u.upn)).toEqual(DEMO_USERS.map((u) => `${u.sam}@corp.local`));
    repo = await directory.repository("CORP.LOCAL");
  });
  afterAll(async () => t?.drop());

  const create = (upn: string, displayName: string, groups?: string[]) =>
    directory.createUser(repo, { upn, displayName, email: upn, password: PASSWORD, groups });
  const search = async (term: string) => (await directory.listUsers(repo, { search: term, limit: 50 })).users.map((u) => u.upn);

  it("seeds once: a second seed creates nothing and lists no account", async () => {
    expect(await seedDemoDirectory(t.db, directory)).toEqual([]);
    expect(await directory.listRepositories()).toEqual([{ name: "corp.local", kind: "ActiveDirectory", users: 5, status: "ok" }]);
    expect(await directory.listGroups(repo)).toEqual([
      { name: "Contractors", members: 1 },
      { name: "Domain Users", members: 5 },
      { name: "MFA Exempt", members: 1 },
      { name: "RAS Admins", members: 1 },
    ]);
    const bob = (await directory.findUser(repo, "CORP\\Bob"))!;
    expect(bob).toMatchObject({ upn: "bob@corp.local", sam: "bob", displayName: "Bob Brandt", safenetAccount: true });
    expect((await directory.groupsOf([bob.id])).get(bob.id)).toEqual(["Domain Users", "RAS Admins"]);
    expect((await directory.findUser(repo, "erin"))!.safenetAccount).toBe(false);
    expect(await directory.authenticate(repo, "ALICE@corp.local", "Alice!2026")).toMatchObject({ upn: "alice@corp.local" });
    expect(await directory.authenticate(repo, "alice", "alice!2026")).toBeNull();
    expect(await directory.authenticate(repo, "nobody", "Alice!2026")).toBeNull();
  });

  it("searches by UPN or display-name prefix ignoring letter case, non-ASCII included", async () => {
    await create("zoe.umlaut@corp.local", "Ärger Ölsen");
    expect(await search("ALI")).toEqual(["alice@corp.local"]);
    expect(await search("Alice And")).toEqual(["alice@corp.local"]);
    expect(await search("carol c")).toEqual(["carol@corp.local"]);
    expect(await search("ärger")).toEqual(["zoe.umlaut@corp.local"]);
    expect(await search("ÄRGER ÖL")).toEqual(["zoe.umlaut@corp.local"]);
    expect(await search("ZOE.U")).toEqual(["zoe.umlaut@corp.local"]);
    // A prefix, not a substring.
    expect(await search("andersen")).toEqual([]);
    expect(await search("lice")).toEqual([]);
  });

  it("takes % and _ in a search literally", async () => {
    await create("under_score@corp.local", "Under Score");
    await create("underxscore@corp.local", "Underx Score");
    await create("pct%sign@corp.local", "Percent Sign");
    expect(await search("under_")).toEqual(["under_score@corp.local"]);
    expect(await search("under")).toEqual(["under_score@corp.local", "underxscore@corp.local"]);
    expect(await search("pct%")).toEqual(["pct%sign@corp.local"]);
    expect(await search("%")).toEqual([]);
    expect(await search("_")).toEqual([]);
    expect(await search("\\")).toEqual([]);
  });

  it("pages through every user once, in UPN order, by keyset cursor; with a search and a group filter too", async () => {
    const made: string[] = [];
    for (let i = 1; i <= 23; i++) {
      const n = String(i).padStart(2, "0");
      made.push((await create(`pager${n}@corp.local`, `Paging Person ${n}`, i % 4 === 0 ? ["Contractors"] : [])).upn);
    }
    const all = async (q: { search?: string; group?: string }) => {
      const upns: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await directory.listUsers(repo, { ...q, limit: 7, cursor });
        upns.push(...page.users.map((u) => u.upn));
        sizes.push(page.users.length);
        if (page.nextCursor === null) return { upns, sizes };
        cursor = page.nextCursor;
      }
    };
    const everyone = await all({});
    const total = (await directory.listRepositories())[0].users!;
    expect(everyone.upns).toHaveLength(total);
    expect(everyone.upns).toEqual([...everyone.upns].sort());
    expect(new Set(everyone.upns).size).toBe(total);
    expect(everyone.sizes.slice(0, -1).every((s) => s === 7)).toBe(true);

    const searched = await all({ search: "PAGING person" });
    expect(searched.upns).toEqual(made);
    expect(searched.sizes).toEqual([7, 7, 7, 2]);

    const contractors = await all({ group: "Contractors" });
    expect(contractors.upns).toEqual(["dave@corp.local", ...made.filter((_, i) => (i + 1) % 4 === 0)].sort());
    expect((await all({ group: "Contractors", search: "pager" })).upns).toEqual(made.filter((_, i) => (i + 1) % 4 === 0));
    expect((await all({ group: "No Such Group" })).upns).toEqual([]);
    // The group filter compares the name exactly, as the exclusion rules do.
    expect((await all({ group: "contractors" })).upns).toEqual([]);
  });

  it("creates one user of concurrent creations of one UPN and refuses the rest with 409", async () => {
    const second = t.open();
    const other = makeDirectory(second);
    const otherRepo = await other.repository("corp.local");
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? other.createUser(otherRepo, { upn: "racer@corp.local", displayName: `Racer ${i}`, email: "r@x", password: PASSWORD }) : create("racer@corp.local", `Racer ${i}`)),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((x) => x.status === "rejected")) expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: "user_exists" });
    expect(await search("racer")).toEqual(["racer@corp.local"]);
    // The logon name is unique too.
    await expect(create("racer@other.example", "Racer Again")).rejects.toMatchObject({ status: 409 });
  });

  it("updates fields and replaces groups in one transaction; the account flag changes once", async () => {
    const user = await create("mover@corp.local", "Mover One", ["RAS Admins"]);
    expect((await directory.groupsOf([user.id])).get(user.id)).toEqual(["Domain Users", "RAS Admins"]);
    const moved = await directory.updateUser(user, { displayName: "Mover TWO", email: "Mover@Mail.Example", groups: ["Contractors", "New Group"] });
    expect(moved).toMatchObject({ displayName: "Mover TWO", displayKey: "mover two", email: "mover@mail.example" });
    expect((await directory.groupsOf([user.id])).get(user.id)).toEqual(["Contractors", "Domain Users", "New Group"]);
    expect(await search("mover t")).toEqual(["mover@corp.local"]);
    expect(await directory.updateUser(moved, {})).toEqual(moved);

    expect(await directory.setAccount(user, true)).toBe(true);
    expect(await directory.setAccount(user, true)).toBe(false);
    expect((await directory.findUser(repo, "mover"))!.safenetAccount).toBe(true);
    expect(await directory.setAccount(user, false)).toBe(true);
    expect((await directory.findUser(repo, "mover"))!.safenetAccount).toBe(false);
  });

  it("rolls back a half-done update when the transaction fails", async () => {
    const user = await create("rollback@corp.local", "Roll Back");
    await expect(
      t.db.transaction(async (tx) => {
        await makeDirectory(tx).updateUser(user, { displayName: "Half Done", groups: ["RAS Admins"] });
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await directory.findUser(repo, "rollback")).toMatchObject({ displayName: "Roll Back" });
    expect((await directory.groupsOf([user.id])).get(user.id)).toEqual(["Domain Users"]);
  });

  it("adds synthetic users in bulk, once", async () => {
    const before = (await directory.listRepositories())[0].users!;
    expect(await seedSyntheticUsers(t.db, directory, 2500)).toBe(2500);
    expect(await seedSyntheticUsers(t.db, directory, 2600)).toBe(100);
    expect((await directory.listRepositories())[0].users).toBe(before + 2600);
    expect(await search("USER00250")).toEqual(Array.from({ length: 10 }, (_, i) => `user00250${i}@corp.local`));
    expect(await search("synthetic user 00260")).toEqual(["user002600@corp.local"]);
    const third = (await directory.findUser(repo, "user000003"))!;
    expect(third).toMatchObject({ safenetAccount: true, displayName: "Synthetic User 000003" });
    expect((await directory.groupsOf([third.id])).get(third.id)).toEqual(["Domain Users"]);
    const tenth = (await directory.findUser(repo, "user000010"))!;
    expect((await directory.groupsOf([tenth.id])).get(tenth.id)).toEqual(["Contractors", "Domain Users"]);
    expect(await directory.authenticate(repo, "user002600", "Synthetic!2026")).toMatchObject({ upn: "user002600@corp.local" });
  });
});

describe.each(DIALECTS)("mail sink on %s", (dialect) => {
  let t: TestDatabase;
  let mailbox: Mailbox;
  const keys = createKeyring(crypto.randomBytes(32));
  const marker = crypto.randomBytes(8).toString("hex");

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    mailbox = makeMailbox(t.db, keys);
  });
  afterAll(async () => t?.drop());

  const compose = (options: ConstructorParameters<typeof MailComposer>[0]) =>
    new MailComposer({ from: "noreply@portal.example", text: `body ${marker}`, ...options }).compile().build();

  it("stores a message sealed and lists it with every field", async () => {
    const raw = await compose({
      to: ["First_Last@X.com", "pct%sign@x.com"],
      subject: `Subject ${marker}`,
      html: `<p>HTML ${marker}</p>`,
      messageId: `<${marker}@portal.example>`,
      attachments: [{ filename: "seed.pskc", contentType: "application/pskc+xml", content: Buffer.from(`SEEDFILE-${marker}`) }],
    });
    const id = await mailbox.store(raw, ["bcc@x.com"]);
    const [m] = await mailbox.list({ to: "FIRST_LAST@x.com" });
    expect(m).toMatchObject({
      id,
      from: "noreply@portal.example",
      subject: `Subject ${marker}`,
      messageId: `<${marker}@portal.example>`,
      attachments: [{ filename: "seed.pskc", contentType: "application/pskc+xml", size: `SEEDFILE-${marker}`.length }],
    });
    expect([...m.to].sort()).toEqual(["bcc@x.com", "first_last@x.com", "pct%sign@x.com"]);
    expect(m.text.trim()).toBe(`body ${marker}`);
    expect(m.html).toContain(`HTML ${marker}`);
    expect((await mailbox.attachment(id, "seed.pskc"))!.bytes.toString()).toBe(`SEEDFILE-${marker}`);
    expect(await mailbox.attachment(id, "other.pskc")).toBeUndefined();
    expect(await mailbox.attachment("nope", "seed.pskc")).toBeUndefined();

    // Sealed in the database: no column holds the body or the attachment in the clear.
    const rows = await t.db.all<Record<string, unknown>>(sql`SELECT * FROM mail_messages`);
    const stored = JSON.stringify(rows.map((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString("latin1") : v))));
    expect(stored).toContain(`Subject ${marker}`);
    expect(stored).not.toContain(`body ${marker}`);
    expect(stored).not.toContain(`HTML ${marker}`);
    expect(stored).not.toContain(`SEEDFILE-${marker}`);
    expect(stored).not.toContain(Buffer.from(`SEEDFILE-${marker}`).toString("base64").slice(0, 16));
  });

  it("filters by whole recipient address, case-insensitively, with % and _ taken literally", async () => {
    await mailbox.store(await compose({ to: "firstlast@x.com", subject: "plain" }), []);
    await mailbox.store(await compose({ to: "pctsign@x.com", subject: "no percent" }), []);
    const subjects = async (to: string) => (await mailbox.list({ to })).map((m) => m.subject);
    expect(await subjects("first_last@x.com")).toEqual([`Subject ${marker}`]);
    expect(await subjects("firstlast@x.com")).toEqual(["plain"]);
    expect(await subjects("PCT%SIGN@x.com")).toEqual([`Subject ${marker}`]);
    expect(await subjects("pctsign@x.com")).toEqual(["no percent"]);
    for (const partial of ["first", "x.com", "%", "_", "%@x.com", "first_last", ",", "\\"]) expect(await subjects(partial), partial).toEqual([]);
  });

  it("filters by Message-ID; an empty list matches nothing", async () => {
    expect((await mailbox.list({ messageIds: [`${marker}@portal.example`] })).map((m) => m.subject)).toEqual([`Subject ${marker}`]);
    expect(await mailbox.list({ messageIds: [] })).toEqual([]);
    expect(await mailbox.list({ messageIds: ["<nobody@nowhere>", "%"] })).toEqual([]);
  });

  it("drops NUL from the searchable fields and keeps the message", async () => {
    const id = await mailbox.store(Buffer.from(`From: a@x.com\r\nTo: nul@x.com\r\nSubject: =?utf-8?Q?nul=00here?=\r\n\r\nbody\r\n`), []);
    const [m] = await mailbox.list({ to: "nul@x.com" });
    expect(m).toMatchObject({ id, subject: "nulhere" });
  });

  it("keeps a message whose Message-ID is longer than any index takes, unfiled by that id", async () => {
    const long = `<${"x".repeat(3000)}@portal.example>`;
    const id = await mailbox.store(await compose({ to: "long.id@x.com", subject: "long id", messageId: long }), []);
    expect((await mailbox.list({ to: "long.id@x.com" })).map((m) => [m.id, m.messageId])).toEqual([[id, ""]]);
    expect(await mailbox.list({ messageIds: [long] })).toEqual([]);
  });

  it("empties the mailbox and says how many went", async () => {
    const count = (await mailbox.list()).length;
    expect(count).toBeGreaterThan(0);
    expect(await mailbox.clear()).toBe(count);
    expect(await mailbox.list()).toEqual([]);
  });
});

/** The connections, each of whose transactions begins only once every one of them has asked for one. */
function gated(connections: Sql[]): Sql[] {
  let waiting = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return connections.map((db) => ({
    ...db,
    async transaction(work, options) {
      if (++waiting === connections.length) open();
      await gate;
      return db.transaction(work, options);
    },
  }));
}

describe.skipIf(!TEST_POSTGRES_URL)("demo seed racing on one empty PostgreSQL database", () => {
  it("leaves exactly one copy of each demo user, and only one start lists them as created", { timeout: 60_000 }, async () => {
    for (let round = 0; round < 4; round++) {
      const t = await createTestDatabase("postgres");
      try {
        // Three instances, each with its own pool, as three simulator processes would have. Their
        // seed transactions are held until all three have asked for one, so that they overlap.
        const instances = gated([t.open(), t.open(), t.open()]);
        const seeded = await Promise.all(instances.map((db) => seedDemoDirectory(db, makeDirectory(db))));
        const winners = seeded.filter((s) => s.length > 0);
        expect(winners).toHaveLength(1);
        expect(winners[0].map((u) => u.upn)).toEqual(DEMO_USERS.map((u) => `${u.sam}@corp.local`));
        const users = await t.db.all<{ upn: string; n: number }>(sql`SELECT upn, COUNT(*) AS n FROM users GROUP BY upn ORDER BY upn`);
        expect(users).toEqual(DEMO_USERS.map((u) => ({ upn: `${u.sam}@corp.local`, n: 1 })).sort((a, b) => a.upn.localeCompare(b.upn)));
        expect(await t.db.get(sql`SELECT COUNT(*) AS n FROM repositories`)).toEqual({ n: 1 });
        expect(await t.db.get(sql`SELECT COUNT(*) AS n FROM "groups"`)).toEqual({ n: 4 });
        expect(await t.db.get(sql`SELECT COUNT(*) AS n FROM user_groups`)).toEqual({ n: 8 });
      } finally {
        await t.drop();
      }
    }
  });
});
