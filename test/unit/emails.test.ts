import { createElement, type ComponentType } from "react";
import { describe, expect, it } from "vitest";
import ActivationEmail, { SPLIT_SENTENCE, type ActivationEmailProps } from "../../emails/activation";
import SecurityNoticeEmail, { CHANGE_TITLES, type FactorChange, type SecurityNoticeEmailProps } from "../../emails/security-notice";
import { isMailSink } from "../../lib/server/mail/mailbox";
import { renderEmail } from "../../lib/mail/render";

// Every template rendered as `email dev` would, with its own PreviewProps.

const render = <P extends object>(Email: ComponentType<P>, props: P) => renderEmail(createElement(Email, props));
const both = ({ html, text }: { html: string; text: string }) => [html, text];

const STEPS = [
  "Login with domain credentials",
  "Place the attached seed file in the same folder as the MobilePASS client",
  "Enter the One-Time Password to log into the RD Session Host Connection",
];

const preview: ActivationEmailProps = { ...ActivationEmail.PreviewProps, activationKey: "Zx9Kq2Wm7Rt4Lp8N", pin: "7305" };

describe("activation email", () => {
  it("carries every item of the seed how-to in both the HTML and the text part", async () => {
    const mail = await render(ActivationEmail, preview);
    for (const part of both(mail)) {
      expect(part).toContain(preview.activationKey);
      expect(part).toContain(preview.serial);
      expect(part).toContain(`${preview.serial}.pskc`);
      expect(part).toContain(preview.downloadUrl);
      expect(part).toContain(preview.pin);
      for (const step of STEPS) expect(part).toContain(step);
      expect(part).not.toContain(SPLIT_SENTENCE);
    }
    expect(mail.html).toContain(`href="${preview.downloadUrl}"`);
  });

  it("with split delivery leaves the activation key and PIN out and says they are shown only in the portal", async () => {
    const mail = await render(ActivationEmail, { ...preview, split: true });
    for (const part of both(mail)) {
      expect(part).not.toContain(preview.activationKey);
      expect(part).not.toContain(preview.pin);
      expect(part).toContain("shown only in the portal");
      expect(part).toContain(preview.serial);
      expect(part).toContain(preview.downloadUrl);
      for (const step of STEPS) expect(part).toContain(step);
    }
  });

  it("says a time-based code changes every 30 seconds and an event-based one comes from Generate", async () => {
    const time = await render(ActivationEmail, { ...preview, otpMode: "time" });
    const event = await render(ActivationEmail, { ...preview, otpMode: "event" });
    for (const part of both(time)) {
      expect(part).toContain("every 30 seconds");
      expect(part).not.toContain("press Generate");
    }
    for (const part of both(event)) {
      expect(part).toContain("press Generate");
      expect(part).not.toContain("every 30 seconds");
    }
  });

  it("uses the shared single-column layout no wider than 560px", async () => {
    const { html } = await render(ActivationEmail, preview);
    expect(html).toMatch(/max-width:\s*560px/);
    expect(html).toContain('lang="en"');
    expect(html).toContain("<title>Activate your SafeNet token</title>");
    expect(html).not.toMatch(/<img\b/);
  });
});

describe("security notice", () => {
  const CHANGES = Object.keys(CHANGE_TITLES) as FactorChange[];
  const notice = (props: Partial<SecurityNoticeEmailProps>) => render(SecurityNoticeEmail, { ...SecurityNoticeEmail.PreviewProps, ...props });

  it.each(CHANGES)("%s: says what happened, when (UTC), from which client address, and what to do if it was not them", async (change) => {
    const mail = await notice({ change, at: "2026-05-04T10:15:42.000Z", clientIp: "203.0.113.24", serial: "4F1C9A7E20B3D6C8" });
    for (const part of both(mail)) {
      // The plain-text part writes the heading in capitals.
      expect(part.toLowerCase()).toContain(CHANGE_TITLES[change]("4F1C9A7E20B3D6C8").toLowerCase());
      expect(part).toContain("4 May 2026, 10:15:42 UTC");
      expect(part).toContain("203.0.113.24");
      expect(part).toContain("If this was not you");
      expect(part).toMatch(/contact your administrator/i);
    }
  });

  it("tells how to stop a token that still works (report it lost), and how to enroll again after one that no longer does", async () => {
    for (const change of ["issued", "reissued", "activated", "pin-changed", "reactivated", "unlocked", "resynced"] as const) {
      const { html, text } = await notice({ change });
      expect(text, change).toContain("Report the token lost");
      expect(html, change).toContain('href="http://127.0.0.1:3000/token"');
    }
    for (const change of ["lost", "revoked", "deleted"] as const) {
      const { html, text } = await notice({ change });
      expect(text, change).not.toContain("Report the token lost");
      expect(html, change).toContain('href="http://127.0.0.1:3000/enroll"');
    }
  });

  it("says who made the change and, for an issued token, where its activation email went", async () => {
    expect((await notice({ change: "pin-changed", by: "self" })).text).toContain("You changed the PIN");
    expect((await notice({ change: "pin-changed", by: "admin" })).text).toContain("An administrator changed the PIN");
    expect((await notice({ change: "lost", by: "self" })).text).toContain("You reported your MobilePASS token");
    expect((await notice({ change: "revoked", by: "admin" })).text).toContain("An administrator revoked");
    expect((await notice({ change: "issued", activationTo: "someone@else.example" })).text).toContain("its activation email went to someone@else.example");
  });

  it("locked: names the time it unlocks, or that an administrator must unlock it", async () => {
    const timed = await notice({ change: "locked", lockedUntil: "2026-05-04T10:25:00.000Z" });
    expect(timed.text).toContain("4 May 2026, 10:25 UTC");
    const manual = await notice({ change: "locked", lockedUntil: null });
    expect(manual.text).toContain("until an administrator unlocks it");
    expect(manual.text).not.toContain("unlocks by itself");
  });

  it("carries no secret: its props have no place for one, and a notice after an issue shows none", async () => {
    // The props a notice accepts: none is an activation key, PIN, passcode or seed.
    expect(Object.keys(SecurityNoticeEmail.PreviewProps).sort()).toEqual(
      ["activationTo", "at", "by", "change", "clientIp", "displayName", "lockedUntil", "portalUrl", "serial"].sort(),
    );
    const secrets = { activationKey: "Zx9Kq2Wm7Rt4Lp8N", pin: "7305", seed: "GEZDGNBVGY3TQOJQ" };
    // Even if a caller passed secrets along, the template renders none of them.
    const props = { ...SecurityNoticeEmail.PreviewProps, change: "issued", ...secrets } as SecurityNoticeEmailProps;
    for (const part of both(await render(SecurityNoticeEmail, props))) {
      for (const secret of Object.values(secrets)) expect(part).not.toContain(secret);
      expect(part).not.toMatch(/activation key is|your PIN is|seed:/i);
    }
  });
});

describe("every template", () => {
  type Template = ComponentType<Record<string, unknown>> & { PreviewProps: Record<string, unknown> };
  const templates = [
    ["activation", ActivationEmail],
    ["security-notice", SecurityNoticeEmail],
  ] as unknown as [string, Template][];

  it.each(templates)("%s renders an HTML part and a plain-text part without tags", async (_name, Email) => {
    const { html, text } = await renderEmail(createElement(Email, Email.PreviewProps));
    expect(html).toMatch(/^<!DOCTYPE html/i);
    expect(html).toContain("SafeNet Login portal");
    expect(text).toContain("SafeNet Login portal");
    expect(text).toContain("4F1C9A7E20B3D6C8");
    expect(text).not.toMatch(/<\/?[a-z!][^>]*>/i);
    expect(text).not.toMatch(/&(amp|lt|gt|quot|#\d+);/);
  });
});

describe("isMailSink", () => {
  it.each([
    ["smtp://127.0.0.1:2525", 2525, true],
    ["smtp://localhost:2525", 2525, true],
    ["smtp://[::1]:2625", 2625, true],
    ["smtp://127.0.0.1:2526", 2525, false],
    ["smtp://mail.corp.local:2525", 2525, false],
    ["smtps://127.0.0.1:2525", 2525, false],
    ["smtp://127.0.0.1", 587, true],
    ["not a url", 2525, false],
  ] as const)("%s with sink port %i → %s", (url, port, expected) => expect(isMailSink(url, port)).toBe(expected));
});
