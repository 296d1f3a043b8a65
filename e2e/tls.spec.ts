import { expect, test } from "./support/fixtures";
import { MEMBER, nextPasscode } from "./support/stack";
import { fillCredentials } from "./support/ui";

// Run by the "chromium-tls" project only: the portal behind a TLS terminator with an https
// NEXTAUTH_URL must name its cookies as next-auth does there and mark every one Secure, and the
// OTP step must find the session the credentials step started.

test("behind TLS the session cookie is __Secure- prefixed and every next-auth cookie is Secure", async ({ page, baseURL }) => {
  expect(baseURL).toMatch(/^https:\/\//);
  await fillCredentials(page, MEMBER.upn, MEMBER.password);
  await expect(page).toHaveURL(/\/login\/otp(\?|$)/);
  await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(MEMBER.upn));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /Signed in as/ })).toBeVisible();
  await expect(page.getByText(/sign-in has expired/i)).toHaveCount(0);

  const cookies = (await page.context().cookies(baseURL!)).filter((c) => c.name.includes("next-auth"));
  expect(cookies.map((c) => c.name)).toContain("__Secure-next-auth.session-token");
  expect(cookies.map((c) => c.name)).not.toContain("next-auth.session-token");
  for (const cookie of cookies) expect({ name: cookie.name, secure: cookie.secure }).toEqual({ name: cookie.name, secure: true });

  const session = await page.request.get("/api/auth/session");
  expect((await session.json()).user?.mfa).toBe("done");
});

test("behind TLS every page carries HSTS", async ({ page, baseURL }) => {
  for (const path of ["/", "/login", "/mobilepass"]) {
    const res = await page.request.get(`${baseURL}${path}`);
    expect(res.headers()["strict-transport-security"], path).toMatch(/max-age=\d{6,}/);
  }
});
