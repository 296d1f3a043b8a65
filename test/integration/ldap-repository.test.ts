import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlapd, syntheticUsersLdif, UNPAGED_LIMIT, type Slapd } from "../support/slapd";
import { startSimulator, TMS, type Simulator } from "./harness";
import { expectError, expectJson, otpFor, recover } from "./provision";
import { repositoryBody, silentListener, switchableProxy, untrustedTlsFront, type Proxy } from "./support/ldap";

// An LDAP user repository against a real slapd loaded with corp.local and 120 more users (more than
// the server's 100-entry limit for a search that is not paged): the listing's live status, the
// connection test, sign-in, paged users and groups, a token for an LDAP user validated through the
// validator, and a directory that is down, silent, refuses the bind or refers elsewhere.

const NAME = "ldap.corp";
const REPO_L = `${TMS}/repositories/${NAME}`;
const EXTRA = 120;
const TOTAL = 5 + EXTRA;

let ldap: Slapd;
let sim: Simulator;

const post = (p: string, json: unknown) => sim.tms(p, { method: "POST", json });
const signIn = (username: string, password: string, repo = REPO_L) => post(`${repo}/authenticate`, { username, password });
const page = async (q: Record<string, string>) =>
  (await expectJson(await sim.tms(`${REPO_L}/users?${new URLSearchParams(q)}`))) as { users: { upn: string; groups: string[] }[]; nextCursor: string | null };
const listing = async () => (await expectJson(await sim.tms(`${TMS}/repositories`))).repositories as Record<string, unknown>[];

beforeAll(async () => {
  [ldap, sim] = await Promise.all([startSlapd(), startSimulator()]);
  await ldap.addLdif(syntheticUsersLdif(EXTRA));
  const created = await expectJson(await post(`${TMS}/repositories`, repositoryBody(ldap, NAME)), 201);
  expect(created).toMatchObject({ name: NAME, kind: "LDAP", users: TOTAL, status: "ok", url: ldap.url, userFilter: ldap.userFilter });
});
afterAll(async () => {
  await sim?.stop();
  await ldap?.stop();
});

describe("an LDAP repository", () => {
  it("is listed beside the built-in directory with a live status and its settings", async () => {
    const repos = await listing();
    expect(repos.find((r) => r.name === "corp.local")).toMatchObject({ kind: "ActiveDirectory", status: "ok" });
    expect(repos.find((r) => r.name === NAME)).toEqual({
      name: NAME,
      kind: "LDAP",
      url: ldap.url,
      bindDn: ldap.bindDn,
      baseDn: ldap.baseDn,
      userFilter: ldap.userFilter,
      attributes: { upn: "userPrincipalName", displayName: "displayName", email: "mail", groups: "memberOf" },
      users: TOTAL,
      status: "ok",
    });
  });

  it("refuses a second one of the same name, a wrong bind password, a bad filter or attribute, with a sentence", async () => {
    await expectError(await post(`${TMS}/repositories`, repositoryBody(ldap, NAME)), 409, "repository_exists");
    await expectError(await post(`${TMS}/repositories`, repositoryBody(ldap, "CORP.LOCAL")), 409, "repository_exists");
    const wrong = await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "wrong-bind"), bindPassword: "not-it" });
    expect((await expectError(wrong, 400, "directory_bind_failed")).message).toMatch(/refused the bind DN and password\. Enter/);
    await expectError(await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "bad-filter"), userFilter: "(&(objectClass=person)" }), 400, "invalid_input");
    await expectError(await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "bad-attr"), attributes: { email: "mail)(uid=*" } }), 400, "invalid_input");
    await expectError(await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "bad-url"), url: "http://127.0.0.1/" }), 400, "invalid_input");
    expect((await listing()).map((r) => r.name).sort()).toEqual(["corp.local", NAME]);
  });

  it("answers the connection test: bind, a sample, counts; and a failed test as an answer", async () => {
    const saved = await expectJson(await post(`${TMS}/repositories/test`, { name: NAME }));
    expect(saved).toMatchObject({ ok: true, status: "ok", users: TOTAL, groups: 4 });
    expect(saved.sample.length).toBeGreaterThan(0);
    expect(saved.sample.length).toBeLessThanOrEqual(5);
    expect(saved.sample[0]).toEqual({ upn: expect.stringMatching(/@corp\.local$/), displayName: expect.any(String), email: expect.any(String), groups: expect.any(Array) });
    const { name: _, ...unsaved } = repositoryBody(ldap, NAME);
    expect(await expectJson(await post(`${TMS}/repositories/test`, unsaved))).toMatchObject({ ok: true, users: TOTAL });
    const wrong = await expectJson(await post(`${TMS}/repositories/test`, { ...unsaved, bindPassword: "not-it" }));
    expect(wrong).toMatchObject({ ok: false, status: "bind_failed", users: null, groups: null, sample: [] });
    const referred = await expectJson(await post(`${TMS}/repositories/test`, { ...unsaved, baseDn: "dc=elsewhere,dc=org" }));
    expect(referred).toMatchObject({ ok: false, status: "referral" });
    expect(referred.message).toMatch(/referred the request to another server\. Use/);
  });

  it("signs users in by binding as them: UPN, logon name or DOMAIN\\name; wrong and unknown look the same", async () => {
    const bob = (await expectJson(await signIn("bob@corp.local", "Bob!2026"))).user;
    expect(bob).toMatchObject({ upn: "bob@corp.local", displayName: "Bob Brandt", email: "bob@corp.local", safenetAccount: false, tokens: [] });
    expect(bob.groups).toEqual(["Domain Users", "RAS Admins"]);
    expect((await expectJson(await signIn("BOB", "Bob!2026"))).user.upn).toBe("bob@corp.local");
    expect((await expectJson(await signIn("LDAP\\bob", "Bob!2026"))).user.upn).toBe("bob@corp.local");
    await expectError(await signIn("OTHER\\bob", "Bob!2026"), 401, "invalid_credentials");
    const wrong = await signIn("bob", "Bob!2027");
    const unknown = await signIn("nobody", "Bob!2026");
    expect(wrong.status).toBe(401);
    expect(await unknown.text()).toBe(await wrong.text());
    // The built-in directory is untouched by the LDAP one.
    expect((await expectJson(await signIn("bob", "Bob!2026", `${TMS}/repositories/corp.local`))).user.upn).toBe("bob@corp.local");
  });

  it("lists users page by page with paged searches, past the server's unpaged limit", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = await page({ limit: "50", ...(cursor && { cursor }) });
      seen.push(...p.users.map((u) => u.upn));
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    expect(TOTAL).toBeGreaterThan(UNPAGED_LIMIT);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(TOTAL);
    expect(new Set(seen).size).toBe(TOTAL);
    expect(seen).toEqual([...seen].sort());
    expect((await page({ search: "ldapuser011" })).users.map((u) => u.upn)).toEqual(
      Array.from({ length: 10 }, (_, i) => `ldapuser011${i}@corp.local`),
    );
    expect((await page({ search: "Carol" })).users.map((u) => u.upn)).toEqual(["carol@corp.local"]);
    expect((await page({ group: "MFA Exempt" })).users.map((u) => u.upn)).toEqual(["carol@corp.local"]);
    expect((await page({ group: "No Such Group" })).users).toEqual([]);
  });

  it("reads groups from the directory with their member counts", async () => {
    const groups = (await expectJson(await sim.tms(`${REPO_L}/groups`))).groups;
    expect(groups).toEqual([
      { name: "Contractors", members: 1 },
      { name: "Domain Users", members: TOTAL },
      { name: "MFA Exempt", members: 1 },
      { name: "RAS Admins", members: 1 },
    ]);
    expect((await expectJson(await sim.tms(`${REPO_L}/users/dave@corp.local`))).groups).toEqual(["Contractors", "Domain Users"]);
  });

  it("is read-only: no users are added or changed through SafeNet", async () => {
    const body = { upn: "new@corp.local", displayName: "New", email: "new@corp.local", password: "Long!Enough1" };
    expect((await expectError(await post(`${REPO_L}/users`, body), 405, "read_only_directory")).message).toMatch(/in the directory itself/);
    await expectError(await sim.tms(`${REPO_L}/users/alice@corp.local`, { method: "PATCH", json: { displayName: "X" } }), 405, "read_only_directory");
    await expectError(await post(`${REPO_L}/users/alice@corp.local/tokens`, { type: "MobilePASS", otpMode: "event", email: "x@example.org" }), 400, "read_only_directory");
  });

  it("keeps an LDAP user's SafeNet account and token here, and the validator accepts the token", async () => {
    const provisioned = await expectJson(await post(`${REPO_L}/users/carol@corp.local/tokens`, { type: "MobilePASS", otpMode: "event", pin: "4089" }), 201);
    const token = await recover(provisioned);
    await expectJson(await post(`${TMS}/tokens/${token.serial}/activate`, { passcode: "4089" + otpFor(token, { counter: 0 }) }));
    const carol = await expectJson(await sim.tms(`${REPO_L}/users/carol@corp.local`));
    expect(carol).toMatchObject({ safenetAccount: true, email: "carol@corp.local", groups: ["Domain Users", "MFA Exempt"] });
    expect(carol.tokens.map((t: { serial: string; state: string }) => [t.serial, t.state])).toEqual([[token.serial, "Active"]]);
    const validate = async (username: string, counter: number) =>
      (await expectJson(await sim.validate({ username, passcode: "4089" + otpFor(token, { counter }), organization: NAME }))).code;
    expect(await validate("carol", 1)).toBe(1);
    expect(await validate("carol@corp.local", 2)).toBe(1);
    expect(await validate("LDAP\\carol", 3)).toBe(1);
    // corp.local's carol is another person: the token is not hers.
    expect((await expectJson(await sim.validate({ username: "carol", passcode: "4089" + otpFor(token, { counter: 4 }) }))).code).toBe(0);
    // Held tokens keep the repository: removing it now would orphan them.
    await expectError(await sim.tms(REPO_L, { method: "DELETE" }), 409, "repository_in_use");
  });

  it("protects the built-in directory from change and removal", async () => {
    await expectError(await sim.tms(`${TMS}/repositories/corp.local`, { method: "PATCH", json: { baseDn: "dc=x" } }), 409, "builtin_repository");
    await expectError(await sim.tms(`${TMS}/repositories/corp.local`, { method: "DELETE" }), 409, "builtin_repository");
    await expectError(await sim.tms(`${TMS}/repositories/nowhere`, { method: "DELETE" }), 404, "not_found");
  });

  it("changes settings after a successful bind, and removes a repository nobody's account needs", async () => {
    const spare = await expectJson(await post(`${TMS}/repositories`, repositoryBody(ldap, "spare")), 201);
    expect(spare.users).toBe(TOTAL);
    const narrowed = await expectJson(await sim.tms(`${TMS}/repositories/spare`, { method: "PATCH", json: { userFilter: "(&(objectClass=inetOrgPerson)(uid=ldapuser00*))" } }));
    expect(narrowed).toMatchObject({ users: 99, userFilter: "(&(objectClass=inetOrgPerson)(uid=ldapuser00*))" });
    await expectError(await sim.tms(`${TMS}/repositories/spare`, { method: "PATCH", json: { bindPassword: "not-it" } }), 400, "directory_bind_failed");
    expect((await expectJson(await post(`${TMS}/repositories/test`, { name: "spare" }))).ok).toBe(true);
    // The filter decides who is a user: alice is outside it now. Signing in leaves no account behind.
    await expectError(await signIn("alice", "Alice!2026", `${TMS}/repositories/spare`), 401, "invalid_credentials");
    expect((await expectJson(await signIn("ldapuser0001", "Synthetic!2026", `${TMS}/repositories/spare`))).user.safenetAccount).toBe(false);
    expect((await sim.tms(`${TMS}/repositories/spare`, { method: "DELETE" })).status).toBe(204);
    expect((await listing()).map((r) => r.name)).not.toContain("spare");
  });
});

describe("a directory in trouble", () => {
  let other: Slapd;
  let proxy: Proxy;

  beforeAll(async () => {
    other = await startSlapd();
    proxy = await switchableProxy(ldap.port);
    await expectJson(await post(`${TMS}/repositories`, repositoryBody(other, "stopped")), 201);
    await expectJson(await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "silent"), url: proxy.url }), 201);
    await other.stop();
    proxy.goSilent();
  });
  afterAll(async () => {
    await proxy?.close();
    await other?.stop();
  });

  it("that is stopped answers 503 with a sentence at once", async () => {
    const started = Date.now();
    const res = await signIn("alice", "Alice!2026", `${TMS}/repositories/stopped`);
    const body = await expectError(res, 503, "directory_unreachable");
    expect(body.message).toMatch(/cannot be reached \(ECONNREFUSED\)\. Check that the server is running/);
    expect(Date.now() - started).toBeLessThan(2000);
    await expectError(await sim.tms(`${TMS}/repositories/stopped/users`), 503, "directory_unreachable");
    await expectError(await sim.tms(`${TMS}/repositories/stopped/groups`), 503, "directory_unreachable");
  });

  it("that accepts and never answers times out with 503, and the listing marks both without waiting for long", async () => {
    const started = Date.now();
    const body = await expectError(await signIn("alice", "Alice!2026", `${TMS}/repositories/silent`), 503, "directory_timeout");
    expect(body.message).toMatch(/did not answer within 5 seconds/);
    expect(Date.now() - started).toBeLessThan(7000);
    const before = Date.now();
    const repos = await listing();
    expect(Date.now() - before).toBeLessThan(4500);
    expect(repos.find((r) => r.name === "stopped")).toMatchObject({ status: "unreachable", users: null, message: expect.stringMatching(/cannot be reached/) });
    expect(repos.find((r) => r.name === "silent")).toMatchObject({ status: "timeout", users: null });
    expect(repos.find((r) => r.name === NAME)).toMatchObject({ status: "ok", users: TOTAL });
  }, 20_000);

  it("that no longer accepts the saved service password answers 503 saying to enter it again", async () => {
    const dn = `cn=svc-two,ou=Service,${ldap.baseDn}`;
    await ldap.addLdif(`dn: ${dn}\nobjectClass: person\ncn: svc-two\nsn: svc-two\nuserPassword: Two!2026\n`);
    await expectJson(await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "revoked"), bindDn: dn, bindPassword: "Two!2026" }), 201);
    await ldap.addLdif(`dn: ${dn}\nchangetype: modify\nreplace: userPassword\nuserPassword: Changed!2026\n`);
    const refused = await expectError(await signIn("alice", "Alice!2026", `${TMS}/repositories/revoked`), 503, "directory_bind_failed");
    expect(refused.message).toMatch(/refused the bind DN and password\. Enter the service account's DN and password again\./);
    expect((await listing()).find((r) => r.name === "revoked")).toMatchObject({ status: "bind_failed", users: null });
  });

  it("that is a plain TCP listener fails the connection test with a time-out, not a hang", async () => {
    const listener = await silentListener();
    try {
      const { name: _, ...unsaved } = repositoryBody(ldap, "x");
      const answer = await expectJson(await post(`${TMS}/repositories/test`, { ...unsaved, url: listener.url }));
      expect(answer).toMatchObject({ ok: false, status: "timeout", users: null });
      expect(answer.elapsedMs).toBeLessThan(7000);
    } finally {
      await listener.close();
    }
  }, 20_000);

  it("over ldaps:// with a certificate nobody trusts fails with a sentence", async () => {
    const { name: _, ...unsaved } = repositoryBody(ldap, "x");
    const front = await untrustedTlsFront(ldap.port);
    try {
      const answer = await expectJson(await post(`${TMS}/repositories/test`, { ...unsaved, url: front.url }));
      expect(answer).toMatchObject({ ok: false, status: "tls_untrusted" });
      expect(answer.message).toMatch(/^The certificate of ldaps:\/\/127\.0\.0\.1:\d+ is not trusted \(\w+\)\. Give the server/);
      await expectError(await post(`${TMS}/repositories`, { ...repositoryBody(ldap, "tls"), url: front.url }), 400, "directory_tls_untrusted");
    } finally {
      await front.close();
    }
  });
});
