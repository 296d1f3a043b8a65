// The one owner of the session cookie's name, pure so the proxy can use it too. next-auth's rule:
// under an https NEXTAUTH_URL its cookies are `__Secure-` prefixed (the CSRF cookie `__Host-`).

const BASE = "next-auth.session-token";

export function sessionCookieName(nextAuthUrl: string): string {
  return nextAuthUrl.startsWith("https://") ? `__Secure-${BASE}` : BASE;
}

/** Both spellings, for the proxy, which only asks whether any session cookie is there. */
export const SESSION_COOKIE_NAMES = [BASE, `__Secure-${BASE}`] as const;
