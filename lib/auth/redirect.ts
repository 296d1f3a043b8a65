// Where the portal may send someone after sign-in: a path on its own origin, decided by parsing the
// target the way a browser does. Pure: the sign-in pages, the forms and next-auth all call this.

// Browsers drop tabs and newlines and read "\" as "/", so text that looks like a path can name a host.
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

/** `target` as pathname + search + hash when it stays on `origin`; anything else is "/". */
export function safeRedirectPath(target: unknown, origin: string): string {
  if (typeof target !== "string" || target === "" || CONTROL_OR_BACKSLASH.test(target)) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin || (url.protocol !== "http:" && url.protocol !== "https:")) return "/";
  // "https://portal//evil.example" is same-origin, but its path alone would be protocol-relative.
  if (url.pathname.startsWith("//")) return "/";
  return url.pathname + url.search + url.hash;
}

/** next-auth's `redirect` callback: only targets on the portal's own origin, else its home page. */
export function redirectCallback({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const origin = new URL(baseUrl).origin;
  return origin + safeRedirectPath(url, origin);
}

/** `error` when next-auth would copy it into a Location header that cannot carry it, else null. */
export function unsafeAuthQuery(params: URLSearchParams): string | null {
  // next-auth interpolates `error` into its redirect unescaped; a header holds visible ASCII, space, tab.
  return params.getAll("error").some((value) => /[^\t\x20-\x7e]/.test(value)) ? "error" : null;
}
