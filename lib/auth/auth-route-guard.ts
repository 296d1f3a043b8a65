// What next-auth answers badly, refused before it runs: an unknown endpoint or provider (it answers
// "Error: This action … is not supported by NextAuth.js"), and a callbackUrl that is not a web address
// (it throws, and the route answers 500). next-auth's own checks still run on everything else.

// A Map, not an object: "__proto__" and "constructor" are endpoint names an attacker sends too.
const METHODS = new Map<string, readonly string[]>(Object.entries({
  providers: ["GET"],
  session: ["GET", "POST"],
  csrf: ["GET"],
  signin: ["GET", "POST"],
  signout: ["GET", "POST"],
  callback: ["GET", "POST"],
  "verify-request": ["GET"],
  error: ["GET"],
  _log: ["POST"],
}));

const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store", ...headers } });

/** next-auth's own test: an absolute http(s) URL, or a path from the portal's origin. */
function isWebAddress(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

function cookieValues(header: string | null, name: RegExp): string[] {
  return (header ?? "")
    .split(";")
    .map((c) => c.trim().split("="))
    .filter(([k]) => name.test(k))
    .map(([, ...v]) => {
      const raw = v.join("=");
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    });
}

// Longer than any real redirect target; next-auth would echo it into a cookie and a Location header.
const MAX_CALLBACK_URL = 2_048;

/** A refusal for a request next-auth would mishandle, or null to hand it on. `bodyCallbackUrl`: the form's, if any. */
export function authRouteRefusal(req: Request, segments: string[], providerIds: readonly string[], bodyCallbackUrl?: string | null): Response | null {
  const [action, provider] = segments;
  const methods = METHODS.get(action);
  if (!methods || ((action === "callback" || (action === "signin" && req.method === "POST")) && !providerIds.includes(provider ?? ""))) {
    return refuse(404, "not_found", "There is no such sign-in address. Sign in at /login.");
  }
  if (!methods.includes(req.method)) return refuse(405, "method_not_allowed", `This sign-in address does not take ${req.method} requests.`, { allow: methods.join(", ") });
  const url = new URL(req.url);
  const callbackUrls = [...url.searchParams.getAll("callbackUrl"), ...cookieValues(req.headers.get("cookie"), /^(?:__Secure-)?next-auth\.callback-url$/)];
  if ([...callbackUrls, bodyCallbackUrl ?? ""].some((c) => c.length > MAX_CALLBACK_URL)) {
    return refuse(400, "invalid_callback_url", `The callbackUrl is longer than ${MAX_CALLBACK_URL} characters: give a path such as /token.`);
  }
  if (callbackUrls.some((c) => c !== "" && !isWebAddress(c, url.origin))) {
    return refuse(400, "invalid_callback_url", "The callbackUrl is not a web address: leave it out, or give a path such as /token.");
  }
  return null;
}
