import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addRepositorySchema,
  createBody,
  ECHO,
  editRepositorySchema,
  needsBindPassword,
  patchBody,
} from "../../app/admin/repositories/schemas";
import { echoed } from "../../lib/forms/parse";
import { createLdapRepositoryRequestSchema, DEFAULT_LDAP_ATTRIBUTES, patchLdapRepositoryRequestSchema, SafeNetError } from "../../lib/safenet/contract";
import { safenetClient } from "../../lib/server/safenet/client";

// The LDAP repository form of /admin/repositories and the client calls behind it.

const BIND_PASSWORD = "Bind!Secret-4711";
const form = {
  name: "example.com",
  url: " ldap://127.0.0.1:3890 ",
  bindDn: "cn=svc,dc=example,dc=com",
  bindPassword: BIND_PASSWORD,
  baseDn: "ou=people,dc=example,dc=com",
  userFilter: "",
  upnAttribute: "",
  displayNameAttribute: "cn",
  emailAttribute: "mail",
  groupsAttribute: "memberOf",
  stepUpPasscode: "4089123456",
};

describe("the repository form", () => {
  it("builds a create body the contract accepts, with Active Directory's attribute names for empty fields", () => {
    const data = addRepositorySchema.parse(form);
    const body = createBody(data);
    expect(createLdapRepositoryRequestSchema.parse(body)).toEqual(body);
    expect(body).toEqual({
      name: "example.com",
      kind: "LDAP",
      url: "ldap://127.0.0.1:3890",
      bindDn: form.bindDn,
      bindPassword: BIND_PASSWORD,
      baseDn: form.baseDn,
      attributes: { ...DEFAULT_LDAP_ATTRIBUTES, displayName: "cn" },
    });
  });

  it("says next to each field what to fix, and asks for the bind password when adding", () => {
    const result = addRepositorySchema.safeParse({ name: "no spaces please", url: "http://example.com", bindDn: "", bindPassword: "", baseDn: " ", groupsAttribute: "member of" });
    expect(result.success).toBe(false);
    const fields = Object.fromEntries(result.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(Object.keys(fields).sort()).toEqual(["baseDn", "bindDn", "bindPassword", "groupsAttribute", "name", "url"]);
    expect(fields.url).toMatch(/^Enter the directory's address as ldap:\/\/host:port/);
    for (const message of Object.values(fields)) expect(message).toMatch(/^Enter .*\.$/);
  });

  it("keeps the saved bind password on an edit only while the server stays the same", () => {
    const edit = editRepositorySchema.parse({ ...form, bindPassword: "" });
    expect(patchLdapRepositoryRequestSchema.parse(patchBody(edit))).not.toHaveProperty("bindPassword");
    expect(needsBindPassword("ldap://127.0.0.1:3890", "LDAP://127.0.0.1:3890/", "")).toBe(false);
    expect(needsBindPassword("ldap://dc1.example.com", "ldap://dc1.example.com:389", "")).toBe(false);
    // Another host, port or scheme (ldaps to ldap would send it in clear text) needs it typed again.
    expect(needsBindPassword("ldap://127.0.0.1:3890", "ldap://attacker.example:3890", "")).toBe(true);
    expect(needsBindPassword("ldap://127.0.0.1:3890", "ldap://127.0.0.1:3891", "")).toBe(true);
    expect(needsBindPassword("ldaps://dc1.example.com", "ldap://dc1.example.com:636", "")).toBe(true);
    expect(needsBindPassword(undefined, "ldap://127.0.0.1:3890", "")).toBe(true);
    expect(needsBindPassword("ldap://127.0.0.1:3890", "ldap://attacker.example:3890", "typed-again")).toBe(false);
  });

  it("never shows the bind password or the passcode again after a failure", () => {
    const shown = echoed(form, ECHO);
    expect(JSON.stringify(shown)).not.toContain(BIND_PASSWORD);
    expect(shown).not.toHaveProperty("stepUpPasscode");
    expect(shown).toHaveProperty("url", form.url);
  });
});

describe("the client's repository calls", () => {
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  let reply: { status: number; body: unknown } = { status: 200, body: {} };
  let server: http.Server;
  let client: ReturnType<typeof safenetClient>;

  beforeAll(async () => {
    Object.assign(process.env, { SAFENET_TMS_API_KEY: "tms-key", SAFENET_AGENT_KEY: "agent-key", NEXTAUTH_SECRET: "x".repeat(32) });
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization, body });
        if (reply.status === 204) return res.writeHead(204).end();
        res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = safenetClient({ tmsUrl: `${base}/TMSWebAPI/v1/`, otpServiceUrl: `${base}/TokenValidator/TokenValidator.asmx`, repository: "corp.local" });
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("creates, changes, tests and removes at the saved TMS URL with its key", async () => {
    const repository = { name: "example.com", kind: "LDAP", users: 3, status: "ok", url: "ldap://127.0.0.1:3890" };
    reply = { status: 201, body: repository };
    const body = createBody(addRepositorySchema.parse(form));
    expect(await client.createRepository(body)).toEqual(repository);
    reply = { status: 200, body: repository };
    await client.patchRepository("exa mple", { bindDn: "cn=other" });
    const answer = { ok: true, status: "ok", message: "Bound.", sample: [], users: 3, groups: 1, elapsedMs: 12 };
    reply = { status: 200, body: answer };
    expect(await client.testRepository({ name: "example.com" })).toEqual(answer);
    reply = { status: 204, body: null };
    await client.deleteRepository("example.com");
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /TMSWebAPI/v1/repositories",
      "PATCH /TMSWebAPI/v1/repositories/exa%20mple",
      "POST /TMSWebAPI/v1/repositories/test",
      "DELETE /TMSWebAPI/v1/repositories/example.com",
    ]);
    expect(seen.every((r) => r.auth === "Bearer tms-key")).toBe(true);
    expect(JSON.parse(seen[0].body)).toEqual(body);
  });

  it("checks a test's answer against the contract", async () => {
    reply = { status: 200, body: { ok: true, users: "many" } };
    const err = await client.testRepository({ name: "example.com" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafeNetError);
    expect(err).toMatchObject({ status: 502, code: "bad_answer", details: { endpoint: "POST /repositories/test" } });
  });
});
