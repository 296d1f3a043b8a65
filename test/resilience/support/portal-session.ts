// Signing in over HTTP with the password and then PIN + OTP, as e2e/global-setup.ts does, keeping the
// cookies in a jar a test can read and reuse.

export class CookieJar {
  private readonly jar = new Map<string, string>();
  keep(res: Response) {
    for (const c of res.headers.getSetCookie()) this.keepHeader(c);
  }
  keepHeader(setCookie: string) {
    const [pair] = setCookie.split(";");
    const i = pair.indexOf("=");
    const value = pair.slice(i + 1);
    if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(setCookie)) this.jar.delete(pair.slice(0, i));
    else this.jar.set(pair.slice(0, i), value);
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export async function csrf(base: string, jar: CookieJar): Promise<string> {
  const res = await fetch(`${base}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.keep(res);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

/** POSTs a next-auth form (with a fresh CSRF token) and returns the `url` it answers with. */
export async function authForm(base: string, jar: CookieJar, provider: "credentials" | "otp", fields: Record<string, string>) {
  const csrfToken = await csrf(base, jar);
  const res = await fetch(`${base}/api/auth/callback/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
    redirect: "manual",
  });
  jar.keep(res);
  return { status: res.status, url: ((await res.json().catch(() => ({}))) as { url?: string }).url };
}

export async function sessionMfa(base: string, cookie: string): Promise<string | undefined> {
  const res = await fetch(`${base}/api/auth/session`, { headers: { cookie } });
  return ((await res.json().catch(() => ({}))) as { user?: { mfa?: string } }).user?.mfa;
}

/** Password, then (when given) PIN + OTP; the session's mfa state must be `expect`. */
export async function signInSession(base: string, username: string, password: string, passcode: (() => string) | undefined, expect: string) {
  const jar = new CookieJar();
  const first = await authForm(base, jar, "credentials", { username, password });
  if (first.url?.includes("error")) throw new Error(`The password of ${username} was refused: ${first.url}`);
  if (passcode) {
    const second = await authForm(base, jar, "otp", { passcode: passcode() });
    if (second.url?.includes("error")) throw new Error(`The OTP step of ${username} was refused: ${second.url}`);
  }
  const mfa = await sessionMfa(base, jar.header());
  if (mfa !== expect) throw new Error(`${username}: session mfa ${mfa}, expected ${expect}`);
  return jar;
}
