import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "./support/fixtures";
import { ADMIN_STATE, E2E_DIR, PORTAL_URL } from "./support/stack";

// Hostile requests get a 4xx, never a 5xx, and change nothing: the portal's server refuses
// undecodable paths and oversized, cross-origin or malformed server-action posts before Next
// sees them (Next answered all of these with 500), and the route handlers refuse bad parameters.

test.use({ storageState: ADMIN_STATE });

const distDir = process.env.NEXT_DIST_DIR || ".next";
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", distDir, "server/server-reference-manifest.json"), "utf8")) as {
  node: Record<string, { filename: string; exportedName: string }>;
};
const ADD_EXCLUSION = Object.entries(manifest.node).find(([, a]) => a.exportedName === "addExclusion")![0];
const RULE = "203.0.113.99";

/** What a refused request must not have touched. */
function snapshot() {
  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { readonly: true, fileMustExist: true });
  const state = {
    rules: db.prepare("SELECT kind, value FROM exclusion_rules ORDER BY id").all(),
    settings: db.prepare("SELECT key, value FROM settings ORDER BY key").all(),
    events: db.prepare("SELECT count(*) AS n FROM events").get(),
  };
  db.close();
  return state;
}

/** addExclusion(prevState, formData) as Next's client encodes it: a multipart reply, root last. */
function multipart(boundary: string, fields: [string, string][]): string {
  return fields
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join("") + `--${boundary}--\r\n`;
}
const addRuleBody = multipart("e2eboundary", [["_1_kind", "clientIps"], ["_1_value", RULE], ["0", '[null,"$K1"]']]);

/** A post to the exclusions page; a header given as "" is left out. */
function postAction(request: APIRequestContext, headers: Record<string, string>, data: string | Buffer) {
  const all: Record<string, string> = {
    "next-action": ADD_EXCLUSION,
    accept: "text/x-component",
    origin: PORTAL_URL,
    "content-type": "multipart/form-data; boundary=e2eboundary",
    ...headers,
  };
  return request.post("/admin/exclusions", { headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== "")), data, maxRedirects: 0 });
}

test.describe("server actions", () => {
  test("control: the well-formed post from the portal's own origin adds the rule", async ({ request }) => {
    const before = snapshot();
    const answer = await postAction(request, {}, addRuleBody);
    expect(answer.status()).toBe(200);
    expect(snapshot().rules).toContainEqual({ kind: "clientIps", value: RULE });
    expect(snapshot().rules.length).toBe(before.rules.length + 1);
    const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
    db.prepare("DELETE FROM exclusion_rules WHERE value = ?").run(RULE);
    db.close();
  });

  const cases: [string, number, Record<string, string>, string | Buffer][] = [
    ["a body over the limit", 413, {}, addRuleBody + "x".repeat(1024 * 1024)],
    ["a cross-origin post", 403, { origin: "https://evil.example" }, addRuleBody],
    ["a post from an opaque origin", 403, { origin: "null" }, addRuleBody],
    ["a cross-origin no-JS form post", 403, { origin: "https://evil.example", "next-action": "" }, addRuleBody],
    ["a malformed multipart body", 400, {}, "garbage--e2eboundary"],
    ["a multipart type without a boundary", 400, { "content-type": "multipart/form-data" }, addRuleBody],
    ["arguments that are not JSON", 400, { "content-type": "text/plain;charset=UTF-8" }, '[{"a":'],
    ["arguments that are not an argument list", 400, { "content-type": "text/plain;charset=UTF-8" }, '{"a":1}'],
    ["arguments that are not UTF-8", 400, { "content-type": "text/plain;charset=UTF-8" }, Buffer.from([0x5b, 0x22, 0xc0, 0xaf, 0x22, 0x5d])],
  ];
  for (const [name, status, headers, body] of cases) {
    test(`${name} answers ${status} and changes nothing`, async ({ request }) => {
      const before = snapshot();
      const answer = await postAction(request, headers, body);
      expect(answer.status()).toBe(status);
      expect(snapshot()).toEqual(before);
    });
  }
});

test.describe("addresses and parameters", () => {
  for (const p of ["/%C0%AF", "/admin/users/%E0%A4%A", "/api/mailbox/%C0/attachments/a", "/login/%FF%FE"]) {
    test(`the undecodable path ${p} answers 400 or 404`, async ({ request }) => {
      const answer = await request.get(p, { maxRedirects: 0 });
      expect([400, 404]).toContain(answer.status());
    });
  }

  for (const error of ["a%0d%0aSet-Cookie:%20x=1", "%E2%82%AC", "%00"]) {
    test(`next-auth's error page refuses error=${error} with 400`, async ({ request }) => {
      const before = snapshot();
      const answer = await request.get(`/api/auth/error?error=${error}`, { maxRedirects: 0 });
      expect(answer.status()).toBe(400);
      expect(answer.headers()["set-cookie"] ?? "").not.toContain("x=1");
      expect(snapshot()).toEqual(before);
    });
  }

  test("next-auth's error page still redirects an ordinary error code", async ({ request }) => {
    const answer = await request.get("/api/auth/error?error=CredentialsSignin", { maxRedirects: 0 });
    expect(answer.status()).toBe(302);
  });

  for (const id of ["..%2F..%2Fx", "a".repeat(4000), "%2e%2e", "x%00y"]) {
    test(`a mailbox attachment with the id ${id.slice(0, 20)}… answers 404`, async ({ request }) => {
      const answer = await request.get(`/api/mailbox/${id}/attachments/a`, { maxRedirects: 0 });
      expect(answer.status()).toBe(404);
    });
  }

  test("a mailbox attachment with a 1000-character file name answers 404", async ({ request }) => {
    const answer = await request.get(`/api/mailbox/abcdefghijkl/attachments/${"f".repeat(1000)}`, { maxRedirects: 0 });
    expect(answer.status()).toBe(404);
  });
});
