import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, ROOT, startSimulator, TMS, TMS_KEY, type Simulator } from "./harness";
import { expectError, expectJson, newUser, provision } from "./provision";

// The simulated Active Directory behind the TMS Web API: health, keys, repositories, the domain
// sign-in, users, groups and SafeNet accounts, over real HTTP against a started simulator.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => sim?.stop());

const USER_FIELDS = ["displayName", "email", "groups", "safenetAccount", "tokens", "upn"];
const DEMO = {
  alice: { upn: "alice@corp.local", password: "Alice!2026", displayName: "Alice Andersen" },
  bob: { upn: "bob@corp.local", password: "Bob!2026" },
  erin: { upn: "erin@corp.local", password: "Erin!2026" },
};

const json = expectJson;
const authenticate = (username: string, password: string, repo = REPO) =>
  sim.tms(`${repo}/authenticate`, { method: "POST", json: { username, password } });
const getUser = async (name: string) => json(await sim.tms(`${REPO}/users/${encodeURIComponent(name)}`));
const userCount = async () => (await json(await sim.tms(`${TMS}/repositories`))).repositories[0].users as number;
const groupCounts = async () => {
  const body = await json(await sim.tms(`${REPO}/groups`));
  return Object.fromEntries((body.groups as { name: string; members: number }[]).map((g) => [g.name, g.members]));
};
const createUser = (body: Record<string, unknown>) => sim.tms(`${REPO}/users`, { method: "POST", json: body });

/** Every user the listing yields, page by page, with the page sizes seen. */
async function listAll(query: Record<string, string>) {
  const upns: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const qs = new URLSearchParams({ ...query, ...(cursor !== null && { cursor }) });
    const page = await json(await sim.tms(`${REPO}/users?${qs}`));
    upns.push(...page.users.map((u: { upn: string }) => u.upn));
    sizes.push(page.users.length);
    cursor = page.nextCursor;
    if (cursor === null) return { upns, sizes };
    expect(typeof cursor).toBe("string");
  }
  throw new Error("The user listing never ended.");
}

describe("health and the TMS Web API key", () => {
  it("answers /health without a key with the service and version", async () => {
    const res = await fetch(`${sim.base}/health`);
    const body = await json(res);
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(body).toEqual({ status: "ok", service: "safenet-simulator", version });
  });

  it("answers GET /TMSWebAPI/v1 with the right key, proving the key works", async () => {
    const body = await json(await sim.tms(TMS));
    expect(body).toEqual({ service: "TMSWebAPI", status: "ok", version: expect.any(String) });
    expect(body.version.length).toBeGreaterThan(0);
  });

  it("refuses a missing, wrong or malformed key with 401 in the contract's error shape", async () => {
    await expectError(await fetch(sim.base + TMS), 401);
    await expectError(await fetch(sim.base + TMS, { headers: { authorization: "Bearer wrong-key-0123456789abcdef" } }), 401);
    await expectError(await fetch(sim.base + TMS, { headers: { authorization: TMS_KEY } }), 401);
    await expectError(await fetch(sim.base + TMS, { headers: { authorization: `Basic ${TMS_KEY}` } }), 401);
    // The agent key is for the validator only.
    await expectError(await fetch(`${sim.base}${TMS}/repositories`, { headers: { "x-agent-key": TMS_KEY } }), 401);
    const denied = await fetch(`${sim.base}${REPO}/users`, { headers: { authorization: `Bearer ${TMS_KEY}x` } });
    const error = await expectError(denied, 401);
    expect(JSON.stringify(error)).not.toContain("alice");
  });
});

describe("repositories and groups of the demo directory", () => {
  it("lists corp.local as an ActiveDirectory repository with its user count", async () => {
    const body = await json(await sim.tms(`${TMS}/repositories`));
    expect(body).toEqual({ repositories: [{ name: "corp.local", kind: "ActiveDirectory", users: 5, status: "ok" }] });
  });

  it("lists the four demo groups with their member counts", async () => {
    const body = await json(await sim.tms(`${REPO}/groups`));
    for (const g of body.groups) expect(Object.keys(g).sort()).toEqual(["members", "name"]);
    expect(await groupCounts()).toEqual({ "Domain Users": 5, "RAS Admins": 1, Contractors: 1, "MFA Exempt": 1 });
  });

  it("counts a new member of Contractors (and of Domain Users), and nobody else", async () => {
    const before = await groupCounts();
    const usersBefore = await userCount();
    await newUser(sim, ["Contractors"]);
    const after = await groupCounts();
    expect(after).toEqual({
      ...before,
      Contractors: before.Contractors + 1,
      "Domain Users": before["Domain Users"] + 1,
    });
    expect(await userCount()).toBe(usersBefore + 1);
  });

  it("answers 404 for an unknown repository on every directory route", async () => {
    const other = `${TMS}/repositories/other.local`;
    await expectError(await sim.tms(`${other}/users`), 404, "not_found");
    await expectError(await sim.tms(`${other}/groups`), 404, "not_found");
    await expectError(await sim.tms(`${other}/users/alice@corp.local`), 404, "not_found");
    await expectError(await authenticate(DEMO.alice.upn, DEMO.alice.password, other), 404, "not_found");
  });
});

describe("domain sign-in (authenticate)", () => {
  it("accepts a UPN, CORP\\name and a bare name, in any letter case, and returns the user with groups", async () => {
    for (const username of ["alice@corp.local", "CORP\\alice", "alice", "ALICE@CORP.LOCAL", "corp\\Alice", "  Alice  "]) {
      const body = await json(await authenticate(username, DEMO.alice.password));
      expect(Object.keys(body)).toEqual(["user"]);
      expect(body.user).toEqual({
        upn: "alice@corp.local",
        displayName: "Alice Andersen",
        email: "alice@corp.local",
        groups: ["Domain Users"],
        safenetAccount: true,
        tokens: [],
      });
    }
    const bob = await json(await authenticate("CORP\\bob", DEMO.bob.password));
    expect(bob.user.groups).toEqual(expect.arrayContaining(["Domain Users", "RAS Admins"]));
    expect(bob.user.groups).toHaveLength(2);
  });

  it("gives a wrong password and an unknown user the identical 401 invalid_credentials", async () => {
    const wrong = await authenticate("alice@corp.local", "alice!2026"); // passwords are case-sensitive
    const unknown = await authenticate("nobody@corp.local", DEMO.alice.password);
    const foreign = await authenticate("OTHER\\alice", DEMO.alice.password);
    const texts = [];
    for (const res of [wrong, unknown, foreign]) {
      texts.push(await res.clone().text());
      await expectError(res, 401, "invalid_credentials");
    }
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
    expect(texts[0]).not.toContain("alice");
    expect(texts[0]).not.toContain("nobody");
  });

  it("spends similar time on an unknown user as on a wrong password", async () => {
    const timed = async (username: string) => {
      const start = performance.now();
      expect((await authenticate(username, "Not-The-Password1")).status).toBe(401);
      return performance.now() - start;
    };
    await timed("warm-up-nobody"); // the first unknown user also prepares the dummy hash
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await timed("alice"));
      unknown.push(await timed(`nobody${i}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Wide bounds: a real password check costs milliseconds, a skipped one costs nothing.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.25);
    expect(median(unknown)).toBeLessThan(median(known) * 2.5 + 5);
  });

  it("answers 400 naming the field for a body without a password", async () => {
    const res = await sim.tms(`${REPO}/authenticate`, { method: "POST", json: { username: "alice" } });
    const error = await expectError(res, 400);
    expect(error.details).toHaveProperty("password");
  });
});

describe("users", () => {
  it("gets one user by UPN, by bare name and by CORP\\name, with exactly the contract's fields", async () => {
    for (const name of ["alice@corp.local", "alice", "ALICE", "CORP\\alice"]) {
      const user = await getUser(name);
      expect(Object.keys(user).sort()).toEqual(USER_FIELDS);
      expect(user).toMatchObject({ upn: "alice@corp.local", displayName: "Alice Andersen", safenetAccount: true });
    }
    const erin = await getUser("erin");
    expect(erin).toMatchObject({ upn: "erin@corp.local", safenetAccount: false, tokens: [] });
  });

  it("answers 404 with the contract's error shape for an unknown user", async () => {
    await expectError(await sim.tms(`${REPO}/users/nobody@corp.local`), 404, "not_found");
    await expectError(await sim.tms(`${REPO}/users/nobody`), 404, "not_found");
    await expectError(await sim.tms(`${REPO}/users/nobody@corp.local`, { method: "PATCH", json: { displayName: "X" } }), 404, "not_found");
    await expectError(await sim.tms(`${REPO}/users/nobody@corp.local/account`, { method: "PUT" }), 404, "not_found");
    await expectError(await sim.tms(`${REPO}/users/nobody@corp.local/account`, { method: "DELETE" }), 404, "not_found");
  });

  it("creates a user (201) who can then sign in, and refuses the same UPN again with 409", async () => {
    const upn = `newcomer${process.pid}@corp.local`;
    const body = { upn, displayName: "New Comer", email: `nc${process.pid}@mail.example`, password: "Newcomer!2026", groups: ["Contractors"] };
    const created = await json(await createUser(body), 201);
    expect(Object.keys(created).sort()).toEqual(USER_FIELDS);
    expect(created).toMatchObject({ upn, displayName: "New Comer", email: body.email, safenetAccount: false, tokens: [] });
    expect([...created.groups].sort()).toEqual(["Contractors", "Domain Users"]);
    expect(await getUser(upn)).toEqual(created);
    expect((await json(await authenticate(`CORP\\newcomer${process.pid}`, body.password))).user.upn).toBe(upn);

    await expectError(await createUser(body), 409);
    await expectError(await createUser({ ...body, upn: upn.toUpperCase(), password: "Another!2026" }), 409);
    // The failed attempt did not change the password.
    expect((await authenticate(upn, body.password)).status).toBe(200);
    await expectError(await authenticate(upn, "Another!2026"), 401, "invalid_credentials");
  });

  it("refuses bad user input with 400 naming the fields", async () => {
    const good = { upn: `bad${process.pid}@corp.local`, displayName: "Bad Input", email: "bad@mail.example", password: "Longenough1!" };
    for (const [patch, field] of [
      [{ upn: "not-an-email" }, "upn"],
      [{ email: "nope" }, "email"],
      [{ password: "short" }, "password"],
      [{ displayName: "" }, "displayName"],
      [{ admin: true }, "admin"],
    ] as const) {
      const error = await expectError(await createUser({ ...good, ...patch }), 400);
      expect(error.details, JSON.stringify(error)).toHaveProperty(field);
    }
    await expectError(await sim.tms(`${REPO}/users/${good.upn}`), 404);
  });

  it("changes email and display name with PATCH, and the change shows in GET, search and sign-in", async () => {
    const upn = await newUser(sim);
    const patched = await json(await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { email: "Renamed@Mail.Example" } }));
    expect(patched).toMatchObject({ upn, email: "renamed@mail.example", displayName: `Test ${upn.split("@")[0]}` });
    const renamed = await json(
      await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { displayName: "Zebediah Quill" } }),
    );
    expect(renamed).toMatchObject({ upn, email: "renamed@mail.example", displayName: "Zebediah Quill" });
    expect(await getUser(upn)).toEqual(renamed);
    const found = await json(await sim.tms(`${REPO}/users?search=${encodeURIComponent("zebediah q")}`));
    expect(found.users.map((u: { upn: string }) => u.upn)).toEqual([upn]);
    expect((await json(await authenticate(upn, "Test!Passw0rd"))).user.displayName).toBe("Zebediah Quill");

    const bad = await expectError(await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { email: "nope" } }), 400);
    expect(bad.details).toHaveProperty("email");
    const notAllowed = await expectError(
      await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { upn: "other@corp.local" } }),
      400,
    );
    expect(notAllowed.details).toHaveProperty("upn");
    expect((await getUser(upn)).email).toBe("renamed@mail.example");
  });

  it("pages through every user exactly once by cursor", async () => {
    const made = await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const n = String(i + 1).padStart(2, "0");
        const upn = `pager${n}.${process.pid}@corp.local`;
        const res = await createUser({ upn, displayName: `Paging Person ${n}`, email: upn, password: "Paging!2026" });
        expect(res.status, await res.clone().text()).toBe(201);
        return upn;
      }),
    );
    const total = await userCount();
    const { upns, sizes } = await listAll({ limit: "7" });
    expect(new Set(upns).size).toBe(upns.length);
    expect(upns).toHaveLength(total);
    expect(upns).toEqual(expect.arrayContaining([...made, "alice@corp.local", "erin@corp.local"]));
    expect(sizes.slice(0, -1).every((s) => s === 7)).toBe(true);
    expect(sizes.at(-1)).toBeGreaterThan(0);
    expect(sizes.length).toBe(Math.ceil(total / 7));

    const first = await json(await sim.tms(`${REPO}/users?limit=7`));
    for (const u of first.users) expect(Object.keys(u).sort()).toEqual(USER_FIELDS);

    // The same with a search: the 25 pager users, 7 at a time.
    const searched = await listAll({ search: "pager", limit: "7" });
    expect([...searched.upns].sort()).toEqual([...made].sort());
    expect(searched.sizes).toEqual([7, 7, 7, 4]);
  });

  it("searches by UPN prefix and by display-name prefix, ignoring letter case", async () => {
    const search = async (term: string) =>
      (await json(await sim.tms(`${REPO}/users?search=${encodeURIComponent(term)}`))).users.map((u: { upn: string }) => u.upn);
    expect(await search("alice")).toEqual(["alice@corp.local"]);
    expect(await search("ALI")).toEqual(["alice@corp.local"]);
    expect(await search("alice@corp.local")).toEqual(["alice@corp.local"]);
    expect(await search("Alice And")).toEqual(["alice@corp.local"]);
    expect(await search("carol c")).toEqual(["carol@corp.local"]);
    expect(await search("Dave Dorsey")).toEqual(["dave@corp.local"]);
    // Paging Person 10 … 19 by display name.
    const tens = await search("paging person 1");
    expect(tens).toHaveLength(10);
    for (const upn of tens) expect(upn).toMatch(/^pager1\d\./);
    expect(await search("no-such-prefix-anywhere")).toEqual([]);
  });

  it("answers concurrent creations of one UPN with one 201 and 409 for the rest, never a 5xx", async () => {
    const upn = `racer${process.pid}@corp.local`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createUser({ upn, displayName: `Racer ${i}`, email: upn, password: `Racer!2026-${i}` })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    for (const res of answers.filter((r) => r.status === 409)) await expectError(res, 409);
  });

  it("replaces a user's groups with PATCH, keeping Domain Users, and the group lists follow", async () => {
    const upn = await newUser(sim);
    const promoted = await json(await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { groups: ["RAS Admins"] } }));
    expect([...promoted.groups].sort()).toEqual(["Domain Users", "RAS Admins"]);
    expect((await getUser(upn)).groups).toContain("RAS Admins");
    const demoted = await json(await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { groups: [] } }));
    expect(demoted.groups).toEqual(["Domain Users"]);
    const { groups } = await json(await sim.tms(`${REPO}/groups`));
    const admins = groups.find((g: { name: string }) => g.name === "RAS Admins");
    expect(JSON.stringify(admins)).not.toContain(upn);
    await expectError(await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { groups: "RAS Admins" } }), 400);
  });

  it("answers an empty PATCH without a server error, and leaves the user as it was", async () => {
    const upn = await newUser(sim);
    const before = await getUser(upn);
    const res = await sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: {} });
    const text = await res.clone().text();
    expect([200, 400], text).toContain(res.status);
    if (res.status === 400) await expectError(res, 400);
    else expect(JSON.parse(text)).toEqual(before);
    expect(await getUser(upn)).toEqual(before);
  });

  it("answers bodies that are not JSON or too large with 400, 415 and 413 in the error shape", async () => {
    const raw = (body: string, type: string) =>
      fetch(`${sim.base}${REPO}/authenticate`, { method: "POST", headers: { authorization: `Bearer ${TMS_KEY}`, "content-type": type }, body });
    await expectError(await raw("{not json", "application/json"), 400);
    await expectError(await raw("username=alice&password=x", "application/x-www-form-urlencoded"), 415);
    await expectError(await raw(JSON.stringify({ username: "alice", password: "x".repeat(200_000) }), "application/json"), 413);
  });

  it("refuses a bad limit with 400 rather than an error page", async () => {
    const error = await expectError(await sim.tms(`${REPO}/users?limit=0`), 400);
    expect(error.details).toHaveProperty("limit");
    await expectError(await sim.tms(`${REPO}/users?limit=abc`), 400);
  });
});

describe("SafeNet accounts", () => {
  it("creates the account with PUT and removes it with DELETE", async () => {
    expect((await getUser(DEMO.erin.upn)).safenetAccount).toBe(false);
    const put = await json(await sim.tms(`${REPO}/users/erin@corp.local/account`, { method: "PUT" }));
    expect(Object.keys(put).sort()).toEqual(USER_FIELDS);
    expect(put).toMatchObject({ upn: "erin@corp.local", safenetAccount: true });
    expect((await getUser("erin")).safenetAccount).toBe(true);
    // PUT again is harmless.
    expect((await json(await sim.tms(`${REPO}/users/erin@corp.local/account`, { method: "PUT" }))).safenetAccount).toBe(true);
    expect((await json(await authenticate("erin", DEMO.erin.password))).user.safenetAccount).toBe(true);

    const del = await json(await sim.tms(`${REPO}/users/erin@corp.local/account`, { method: "DELETE" }));
    expect(del).toMatchObject({ upn: "erin@corp.local", safenetAccount: false, tokens: [] });
    expect((await getUser("erin")).safenetAccount).toBe(false);
    // Removing the SafeNet account leaves the directory user: it can still sign in to the domain.
    expect((await authenticate("erin", DEMO.erin.password)).status).toBe(200);
  });

  it("removes the user's tokens with the account, so they no longer exist or validate", async () => {
    const upn = await newUser(sim);
    const a = await provision(sim, upn, "event", "4089");
    const b = await provision(sim, upn, "time", "4089");
    const withTokens = await getUser(upn);
    expect(withTokens.safenetAccount).toBe(true);
    expect(withTokens.tokens.map((t: { serial: string }) => t.serial)).toEqual([a.serial, b.serial]);

    const del = await json(await sim.tms(`${REPO}/users/${upn}/account`, { method: "DELETE" }));
    expect(del).toMatchObject({ upn, safenetAccount: false, tokens: [] });
    expect(await getUser(upn)).toMatchObject({ safenetAccount: false, tokens: [] });
    await expectError(await sim.tms(`${TMS}/tokens/${a.serial}`), 404, "not_found");
    await expectError(await sim.tms(`${TMS}/tokens/${b.serial}`), 404, "not_found");
    const listed = await json(await sim.tms(`${TMS}/tokens?user=${encodeURIComponent(upn)}`));
    expect(listed.tokens).toEqual([]);
    const answer = await json(await sim.validate({ username: upn, passcode: "4089123456" }));
    expect(answer).toMatchObject({ code: 0, reason: "no_token" });
  });
});
