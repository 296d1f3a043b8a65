import { createElement } from "react";
import { describe, expect, it } from "vitest";
import InvitationEmail from "../../emails/invitation";
import SecurityNoticeEmail from "../../emails/security-notice";
import { renderEmail } from "../../lib/mail/render";

// The invitation says what to do with its link; the notice of an administrator's "Send a new
// activation" says what the user does next, by the operation's one name.

describe("invitation email", () => {
  it("carries the link, its end and the steps in both parts, and no PIN", async () => {
    const p = InvitationEmail.PreviewProps;
    const { html, text } = await renderEmail(createElement(InvitationEmail, p));
    for (const part of [html, text]) {
      expect(part).toContain(p.link);
      expect(part).toContain("11 May 2026, 10:15 UTC");
      expect(part).toContain("choose your own OTP PIN");
      expect(part).not.toMatch(/your PIN is/i);
    }
    expect(text).toContain(`The link works once and only for ${p.upn}`);
    expect(html).toContain(`href="${p.link}"`);
    expect(text).not.toMatch(/<\/?[a-z!][^>]*>/i);
  });
});

describe("notice of a new activation", () => {
  const base = { ...SecurityNoticeEmail.PreviewProps, change: "reissued" as const };

  it("sent by an administrator, tells the user to open New Account Info and choose Send a new activation", async () => {
    const { html, text } = await renderEmail(createElement(SecurityNoticeEmail, { ...base, by: "admin", activationTo: undefined }));
    expect(text).toContain("An administrator sent a new activation");
    expect(text).toContain("open New Account Info and choose Send a new activation");
    expect(html).toContain('href="http://127.0.0.1:3000/enroll"');
  });

  it("sent by the user, whose activation email already went out, gives no such step", async () => {
    const { text } = await renderEmail(createElement(SecurityNoticeEmail, { ...base, by: "self", activationTo: "alice@corp.local" }));
    expect(text).toContain("its activation email went to alice@corp.local");
    expect(text).not.toContain("What to do next");
  });
});
