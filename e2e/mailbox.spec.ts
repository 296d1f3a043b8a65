import { request } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import crypto from "node:crypto";
import fs from "node:fs";
import nodemailer from "nodemailer";
import { createElement } from "react";
import ActivationEmail from "../emails/activation";
import { renderEmail } from "../lib/mail/render";
import { ADMIN_STATE, E2E, EMPLOYEE, EMPLOYEE_STATE, PORTAL_URL, recordSentMail, SAFENET_URL, TMS_KEY } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

// The demo mailbox: mail that reached the simulator's sink, shown to the employee the portal sent it
// for (recorded by Message-ID, never chosen by address), with the HTML part sandboxed and
// attachments downloaded through the portal.

test.use({ storageState: EMPLOYEE_STATE });

const marker = crypto.randomBytes(4).toString("hex");
const SUBJECT = `Your seed file ${marker}`;
const OTHER_SUBJECT = `For someone else ${marker}`;
// Addressed to the employee's own address, but not sent by the portal on her behalf.
const UNRECORDED_SUBJECT = `Not sent for you ${marker}`;
const FILENAME = `E2E${marker.toUpperCase()}.pskc`;
// Line ends and binary tail that any re-encoding on the way would change.
const BYTES = Buffer.concat([Buffer.from(`<?xml version="1.0"?>\r\n<KeyContainer>${marker}</KeyContainer>\n`), crypto.randomBytes(48)]);
const SPACED = `Seed file ${marker} ü.txt`;
const OTHER = "carol.e2e@corp.local";

async function send(to: string, subject: string): Promise<string> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: E2E.smtpPort, secure: false, ignoreTLS: true });
  const info = await transport.sendMail({
    from: "SafeNet Login portal <safenet@corp.local>",
    to,
    subject,
    text: `Hello,\nthe marker is TEXT-${marker}.\n`,
    html: `<!DOCTYPE html><html lang="en"><head><title>${subject}</title></head><body><p>The marker is <strong>HTML-${marker}</strong>.</p></body></html>`,
    attachments: [
      { filename: FILENAME, contentType: "application/pskc+xml", content: BYTES },
      { filename: SPACED, contentType: "text/plain", content: `plain ${marker}` },
    ],
  });
  return info.messageId;
}

async function messageId(to: string, subject: string): Promise<string> {
  const res = await fetch(`${SAFENET_URL}/mailbox/messages?to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${TMS_KEY}` } });
  const { messages } = (await res.json()) as { messages: { id: string; subject: string }[] };
  const found = messages.find((m) => m.subject === subject);
  if (!found) throw new Error(`No message "${subject}" for ${to} in the sink.`);
  return found.id;
}

test.beforeAll(async () => {
  recordSentMail(EMPLOYEE.upn, { messageId: await send(EMPLOYEE.upn, SUBJECT), to: EMPLOYEE.upn, subject: SUBJECT });
  recordSentMail(OTHER, { messageId: await send(OTHER, OTHER_SUBJECT), to: OTHER, subject: OTHER_SUBJECT });
  await send(EMPLOYEE.upn, UNRECORDED_SUBJECT);
});

test("the employee reads their own mail: headers, text, sandboxed HTML, and the attachment byte for byte", async ({ page }) => {
  await page.goto("/mailbox");
  await expect(page.getByRole("heading", { level: 1, name: "Demo mailbox" })).toBeVisible();
  await expect(page.getByText("You see the messages the portal sent on your behalf, whichever address they went to.")).toBeVisible();

  await page.getByRole("navigation", { name: "Messages" }).getByRole("link", { name: SUBJECT }).click();
  const message = page.getByRole("article", { name: SUBJECT });
  await expect(message.getByRole("heading", { level: 2, name: SUBJECT })).toBeVisible();
  await expect(message.getByText("safenet@corp.local")).toBeVisible();
  await expect(message.locator("pre")).toContainText(`the marker is TEXT-${marker}.`);

  const frame = message.locator(`iframe[title="HTML version of “${SUBJECT}”"]`);
  await expect(frame).toHaveAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
  await expect(message.frameLocator("iframe").getByText(`HTML-${marker}`)).toBeVisible();

  const link = message.getByRole("link", { name: FILENAME });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(FILENAME);
  expect(fs.readFileSync(await download.path()).equals(BYTES)).toBe(true);

  // A name with a space and a non-ASCII letter survives the round trip through the URL.
  const spaced = await page.request.get((await message.getByRole("link", { name: SPACED }).getAttribute("href"))!);
  expect(spaced.status()).toBe(200);
  expect(await spaced.text()).toBe(`plain ${marker}`);

  // Someone else's message is neither listed nor downloadable by id, nor opened by naming it.
  await expect(page.getByRole("link", { name: OTHER_SUBJECT })).toHaveCount(0);
  const otherId = await messageId(OTHER, OTHER_SUBJECT);
  await page.goto(`/mailbox?id=${encodeURIComponent(otherId)}`);
  await expect(page.getByRole("article")).toHaveCount(0);
  await expect(page.getByText("This message is not in the list (any more). Choose one from the list.")).toBeVisible();
  const refused = await page.request.get(`/api/mailbox/${otherId}/attachments/${FILENAME}`);
  expect(refused.status()).toBe(404);

  // Mail to her own address that the portal did not send for her is neither listed nor downloadable.
  await expect(page.getByRole("link", { name: UNRECORDED_SUBJECT })).toHaveCount(0);
  const unrecordedId = await messageId(EMPLOYEE.upn, UNRECORDED_SUBJECT);
  const unrecorded = await page.request.get(`/api/mailbox/${unrecordedId}/attachments/${FILENAME}`);
  expect(unrecorded.status()).toBe(404);
});

test("attachments need a signed-in session", async () => {
  // An explicit empty state: the runner would otherwise lend this context the employee's cookies.
  const anonymous = await request.newContext({ baseURL: PORTAL_URL, storageState: { cookies: [], origins: [] } });
  const id = await messageId(EMPLOYEE.upn, SUBJECT);
  const res = await anonymous.get(`/api/mailbox/${id}/attachments/${FILENAME}`);
  expect(res.status()).toBe(401);
  await anonymous.dispose();
});

test("the mailbox has no serious or critical accessibility violations", async ({ page }) => {
  await page.goto(`/mailbox?id=${encodeURIComponent(await messageId(EMPLOYEE.upn, SUBJECT))}`);
  await expect(page.getByRole("article", { name: SUBJECT })).toBeVisible();
  // A sandbox frame runs no script, so axe cannot be injected into it (it would wait forever);
  // the frame's title is asserted in the first test, and the email layout is tested on its own.
  await expectNoSeriousViolations(page, { exclude: "iframe" });
});

test("the activation email itself fits a phone's screen and has no serious or critical accessibility violations", async ({ page }) => {
  const { html } = await renderEmail(createElement(ActivationEmail, ActivationEmail.PreviewProps));
  await page.setViewportSize({ width: 360, height: 800 });
  await page.setContent(html);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectNoSeriousViolations(page);
});

test.describe("as an administrator", () => {
  test.use({ storageState: ADMIN_STATE });

  test("sees every recipient's mail and can filter by recipient", async ({ page }) => {
    await page.goto("/mailbox");
    const list = page.getByRole("navigation", { name: "Messages" });
    await expect(list.getByRole("link", { name: SUBJECT })).toBeVisible();
    await expect(list.getByRole("link", { name: OTHER_SUBJECT })).toBeVisible();
    await expect(list.getByRole("link", { name: UNRECORDED_SUBJECT })).toBeVisible();

    await page.getByRole("textbox", { name: "Recipient" }).fill(OTHER);
    await page.getByRole("button", { name: "Show messages" }).click();
    await expect(page).toHaveURL(/\/mailbox\?to=carol\.e2e%40corp\.local/);
    await expect(list.getByRole("link", { name: SUBJECT })).toHaveCount(0);
    await list.getByRole("link", { name: OTHER_SUBJECT }).click();
    await expect(page).toHaveURL(/\/mailbox\?to=carol\.e2e%40corp\.local&id=/);
    await expect(page.getByRole("article", { name: OTHER_SUBJECT })).toBeVisible();

    const link = page.getByRole("article", { name: OTHER_SUBJECT }).getByRole("link", { name: FILENAME });
    const res = await page.request.get((await link.getAttribute("href"))!);
    expect(Buffer.from(await res.body()).equals(BYTES)).toBe(true);
  });
});
