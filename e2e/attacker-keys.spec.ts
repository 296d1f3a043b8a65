import { expect, test } from "./support/fixtures";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_STATE, AGENT_KEY, TMS_KEY } from "./support/stack";

// An address typed into the admin console and checked, never saved: whoever answers there must not
// receive the portal's TMS API key or agent key, in any header or body.

test.use({ storageState: ADMIN_STATE });

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
const seen: Seen[] = [];
let listener: http.Server;
let base = "";

test.beforeAll(async () => {
  listener = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      // Look like the TMS Web API to a caller without a key, so a portal that sends keys would.
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "unauthorized", message: "Send the key." } }));
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
});

function leaks(): string[] {
  const found: string[] = [];
  for (const r of seen) {
    const text = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
    for (const [name, key] of [["TMS key", TMS_KEY], ["agent key", AGENT_KEY]]) {
      for (const form of new Set([key, Buffer.from(key).toString("base64"), encodeURIComponent(key)])) {
        if (text.includes(form)) found.push(`${name} in ${r.method} ${r.url}`);
      }
    }
  }
  return found;
}

test("Check on an unsaved TMS Web API URL reaches it without the TMS key", async ({ page }) => {
  seen.length = 0;
  await page.goto("/admin/mfa");
  await page.getByRole("tab", { name: "Authentication" }).click();
  await page.getByLabel("TMS Web API URL", { exact: true }).fill(`${base}/TMSWebAPI/v1`);
  await page.getByRole("button", { name: "Check TMS Web API URL" }).click();
  const status = page.getByRole("tabpanel", { name: "Authentication" }).getByRole("status");
  await expect(status).toHaveText(/^(?!Checking)\S/);
  expect(seen.length).toBeGreaterThan(0);
  expect(leaks()).toEqual([]);
  await expect(status).toHaveText(
    /^Reachable and answers as the TMS Web API \(in \d+ ms\); the API key is only sent to the saved URL — save it to check the key\.$/,
  );
});

test("Check connection on an unsaved OTP Service URL reaches it without any key", async ({ page }) => {
  seen.length = 0;
  await page.goto("/admin/mfa");
  await page.getByLabel("OTP Service URL", { exact: true }).fill(`${base}/TokenValidator/TokenValidator.asmx`);
  await page.getByRole("button", { name: "Check connection" }).click();
  await expect(page.getByRole("tabpanel", { name: "Connection" }).getByRole("status")).toHaveText(/^(?!Checking)\S/);
  expect(seen.length).toBeGreaterThan(0);
  expect(leaks()).toEqual([]);
});
