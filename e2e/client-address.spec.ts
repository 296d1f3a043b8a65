import Database from "better-sqlite3";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { csrf } from "./support/http-session";
import { E2E_DIR } from "./support/stack";

// The e2e stack trusts no proxy, so whatever a client writes into X-Forwarded-For (or into the
// portal server's own peer header) must not become the address in events and throttles.

const db = () => new Database(path.join(E2E_DIR, "portal.sqlite"), { readonly: true, fileMustExist: true });

test("a spoofed X-Forwarded-For from an untrusted peer does not change the recorded address", async ({ request }) => {
  const username = `spoof-${Date.now()}@corp.local`;
  const spoof = { "x-forwarded-for": "203.0.113.66", "x-real-ip": "203.0.113.67", "x-portal-peer": "203.0.113.68", "x-forwarded-proto": "https" };
  const answer = await request.post("/api/auth/callback/credentials", {
    headers: spoof,
    form: { csrfToken: await csrf(request), username, password: "wrong-password", json: "true" },
  });
  expect(answer.status()).toBeLessThan(500);

  const d = db();
  const rows = d.prepare("SELECT client_ip AS ip FROM events WHERE user = ? AND type = 'sign-in.password'").all(username) as { ip: string }[];
  const throttled = d.prepare("SELECT key FROM sign_in_throttle WHERE key LIKE 'address:203.0.113.%'").all();
  const local = d.prepare("SELECT failures FROM sign_in_throttle WHERE key = 'address:127.0.0.1'").get() as { failures: number } | undefined;
  d.close();
  expect(rows).toEqual([{ ip: "127.0.0.1" }]);
  expect(throttled).toEqual([]);
  expect(local?.failures).toBeGreaterThanOrEqual(1);
});

test("a spoofed X-Forwarded-Proto from an untrusted peer does not switch on HSTS", async ({ request }) => {
  const answer = await request.get("/login", { headers: { "x-forwarded-proto": "https", "x-portal-peer": "10.0.0.1" } });
  expect(answer.headers()["strict-transport-security"]).toBeUndefined();
});
