import { Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LDAP_ATTRIBUTES } from "../../lib/safenet/contract";
import { makeLdapDirectory, type LdapSettings } from "../../mock-safenet/ldap/client";
import { startSlapd, type Slapd } from "../support/slapd";
import { startSimulator, TMS, type Simulator } from "./harness";
import { expectError, expectJson } from "./provision";
import { repositoryBody, silentListener } from "./support/ldap";

// Attacks on an LDAP repository, against a real slapd: an empty password (an anonymous bind the
// directory would accept), filter injection through the typed user name or search, the saved bind
// password redirected to another server, the bind password leaking through the API, events or log.

const NAME = "ldap-attacks";
const REPO_L = `${TMS}/repositories/${NAME}`;
const ALICE_DN = "uid=alice,ou=People,dc=corp,dc=local";
const ALICE_PASSWORD = "Alice!2026";

let ldap: Slapd;
let sim: Simulator;
let settings: LdapSettings;

const post = (p: string, json: unknown) => sim.tms(p, { method: "POST", json });
const signIn = (username: string, password: string) => post(`${REPO_L}/authenticate`, { username, password });
const search = async (q: Record<string, string>) => (await expectJson(await sim.tms(`${REPO_L}/users?${new URLSearchParams(q)}`))) as { users: { upn: string }[] };

beforeAll(async () => {
  [ldap, sim] = await Promise.all([startSlapd(), startSimulator()]);
  settings = { url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword, baseDn: ldap.baseDn, userFilter: ldap.userFilter, attributes: DEFAULT_LDAP_ATTRIBUTES };
  await expectJson(await post(`${TMS}/repositories`, repositoryBody(ldap, NAME)), 201);
});
afterAll(async () => {
  await sim?.stop();
  await ldap?.stop();
});

describe("an empty password", () => {
  it("is an anonymous bind this directory accepts, so the refusal must be ours", async () => {
    const client = new Client({ url: ldap.url, timeout: 5000 });
    try {
      await expect(client.bind(ALICE_DN, "")).resolves.toBeUndefined();
    } finally {
      await client.unbind();
    }
  });

  it("never signs anyone in, through the adapter or the API", async () => {
    const directory = makeLdapDirectory(settings);
    expect(await directory.authenticate("alice", ALICE_PASSWORD)).toMatchObject({ upn: "alice@corp.local" });
    expect(await directory.authenticate("alice", "")).toBeNull();
    expect(await directory.authenticate("alice@corp.local", "")).toBeNull();
    await expectError(await signIn("alice", ""), 400, "invalid_input");
  });
});

describe("filter injection", () => {
  it("treats wildcards and parentheses in the user name as text", async () => {
    expect((await expectJson(await signIn("alice", ALICE_PASSWORD))).user.upn).toBe("alice@corp.local");
    for (const username of ["ali*", "*", "*)(uid=*", "alice)(uid=*", "a*@corp.local", "CORP\\ali*"]) {
      await expectError(await signIn(username, ALICE_PASSWORD), 401, "invalid_credentials");
    }
  });

  it("does not widen a user search or a group filter", async () => {
    expect((await search({ search: "alice" })).users.map((u) => u.upn)).toEqual(["alice@corp.local"]);
    for (const term of ["*", "*)(uid=*", "(", "\\", "a*e"]) expect((await search({ search: term })).users, term).toEqual([]);
    expect((await search({ group: "*" })).users).toEqual([]);
    expect((await search({ group: "RAS Admins" })).users.map((u) => u.upn)).toEqual(["bob@corp.local"]);
  });
});

describe("the saved bind password", () => {
  it("does not follow a change of URL made without it", async () => {
    const thief = await silentListener();
    try {
      const patched = await sim.tms(REPO_L, { method: "PATCH", json: { url: thief.url } });
      await expectError(patched, 400, "bind_password_required");
      await expectError(await post(`${TMS}/repositories/test`, { name: NAME, url: thief.url }), 400, "bind_password_required");
      expect(thief.connections()).toBe(0);
      // With a password of its own the new server is tried (and times out here): the saved one is not sent.
      const own = await sim.tms(REPO_L, { method: "PATCH", json: { url: thief.url, bindPassword: "typed-for-the-new-server" } });
      await expectError(own, 400, "directory_timeout");
      expect(thief.connections()).toBe(1);
      expect(thief.received().includes(Buffer.from("typed-for-the-new-server"))).toBe(true);
      expect(thief.received().includes(Buffer.from(ldap.bindPassword))).toBe(false);
    } finally {
      await thief.close();
    }
    // Nothing was saved: the repository still works with its own server.
    expect((await expectJson(await signIn("bob", "Bob!2026"))).user.groups).toContain("RAS Admins");
  });

  it("is never returned, recorded in events or printed", async () => {
    const listing = JSON.stringify(await expectJson(await sim.tms(`${TMS}/repositories`)));
    expect(listing).toContain(NAME);
    expect(listing).not.toContain(ldap.bindPassword);
    expect(listing).not.toMatch(/bindPassword|Sealed/);
    const refused = await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "ldap-wrong"), bindPassword: "Wrong!Secret-42" });
    const refusal = await refused.text();
    expect(refused.status, refusal).toBe(400);
    expect(refusal).not.toContain("Wrong!Secret-42");
    const events = JSON.stringify(await expectJson(await sim.tms(`${TMS}/events?limit=1000`)));
    expect(events).toContain("repository.created");
    expect(events).not.toContain(ldap.bindPassword);
    expect(events).not.toContain("typed-for-the-new-server");
    expect(sim.output()).not.toContain(ldap.bindPassword);
  });
});
