// The browser's side of the portal's next-auth endpoints (/api/auth/*), the three calls the forms
// make, without next-auth/react: that module weighed 12 kB (gzipped) on every page for the header's
// sign-out button, and its signIn() asks for /api/auth/providers and a fresh CSRF token before each
// POST, two round trips in series on the way to the next page. Same requests, same answers.

const AUTH = "/api/auth";

/** Reads next-auth's CSRF token (setting its cookie on first use). */
export async function fetchCsrfToken(): Promise<string> {
  const res = await fetch(`${AUTH}/csrf`, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`The portal answered ${res.status} for a CSRF token.`);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

/** One CSRF token per page, fetched at most once at a time; a failed fetch is tried again next time. */
export function csrfTokenCache(fetchToken: () => Promise<string> = fetchCsrfToken): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= fetchToken().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export interface SignInResult {
  ok: boolean;
  status: number;
  /** next-auth's error code or the message the provider threw, null when the step passed. */
  error: string | null;
}

/** The error a callback's answer names in its redirect URL (`…?error=…`), as next-auth/react reads it. */
export function errorOf(url: string | undefined, origin: string): string | null {
  if (!url) return null;
  return new URL(url, origin).searchParams.get("error");
}

/** Posts one sign-in step (`credentials`: user name and password; `otp`: the passcode) as next-auth/react's signIn would. */
export async function postSignInStep(provider: "credentials" | "otp", fields: Record<string, string>, csrfToken: string): Promise<SignInResult> {
  const res = await fetch(`${AUTH}/callback/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken, callbackUrl: window.location.href, json: "true" }),
  });
  const data = (await res.json().catch(() => ({}))) as { url?: string };
  return { ok: res.ok, status: res.status, error: errorOf(data.url, window.location.origin) ?? (res.ok ? null : "CredentialsSignin") };
}

/** The session's sign-in state after a step (`pending`, `enroll`, `done`), or undefined when there is none. */
export async function fetchSessionMfa(): Promise<"pending" | "enroll" | "done" | undefined> {
  const res = await fetch(`${AUTH}/session`, { headers: { accept: "application/json" } });
  const session = (await res.json().catch(() => null)) as { user?: { mfa?: "pending" | "enroll" | "done" } } | null;
  return session?.user?.mfa;
}

/** Ends the session and loads `callbackUrl` (a full load, as next-auth/react's signOut does). */
export async function signOutTo(callbackUrl: string): Promise<void> {
  const csrfToken = await fetchCsrfToken();
  const res = await fetch(`${AUTH}/signout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl, json: "true" }),
  });
  const data = (await res.json().catch(() => ({}))) as { url?: string };
  const url = data.url ?? callbackUrl;
  window.location.href = url;
  if (url.includes("#")) window.location.reload();
}
