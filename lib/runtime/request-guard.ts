// Hostile requests the portal's HTTP server refuses before Next.js sees them, because Next answers
// them with a 500: undecodable paths, oversized, cross-origin or malformed server-action posts.
// Pure: the server passes in what it read from the request.

export const ACTION_BODY_LIMIT = 1024 * 1024; // Next's default serverActions.bodySizeLimit

export interface Refusal {
  status: 400 | 403 | 411 | 413;
  message: string;
}

type Headers = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function undecodablePath(url: string): boolean {
  const pathname = url.split("?")[0];
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** A POST that Next may treat as a server action: a page path with an action id or a form body. */
export function isActionPost(method: string, url: string, headers: Headers): boolean {
  if (method !== "POST") return false;
  const pathname = url.split("?")[0];
  if (pathname.startsWith("/api/") || pathname.startsWith("/_next/")) return false;
  const type = (one(headers["content-type"]) ?? "").toLowerCase();
  return one(headers["next-action"]) !== undefined || type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded");
}

/** What can be decided from the request line and headers alone. */
export function refuseHead(method: string, url: string, headers: Headers, limit = ACTION_BODY_LIMIT): Refusal | null {
  if (undecodablePath(url)) return { status: 400, message: "The address is not valid UTF-8 after percent-decoding." };
  if (!isActionPost(method, url, headers)) return null;
  const origin = one(headers.origin);
  if (origin !== undefined) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    const hosts = [one(headers.host), one(headers["x-forwarded-host"])].filter(Boolean);
    if (!originHost || !hosts.includes(originHost)) return { status: 403, message: "Forms of this portal can only be sent from its own pages." };
  }
  const length = one(headers["content-length"]);
  if (length === undefined) return { status: 411, message: "A form post must say its length." };
  if (!/^\d+$/.test(length)) return { status: 400, message: "The Content-Length header is not a number." };
  if (Number(length) > limit) return { status: 413, message: `The form is larger than ${limit} bytes.` };
  return null;
}

/** A fetch action's arguments: JSON text (an array) or a multipart body with its boundary. */
export function refuseActionBody(headers: Headers, body: Buffer): Refusal | null {
  if (one(headers["next-action"]) === undefined) return null;
  const malformed: Refusal = { status: 400, message: "The form data could not be read." };
  const type = (one(headers["content-type"]) ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(one(headers["content-type"]) ?? "");
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) return malformed;
    const text = body.toString("latin1");
    if (!text.startsWith(`--${b}\r\n`) || !text.trimEnd().endsWith(`--${b}--`)) return malformed;
    return partHeadersReadable(text, b) ? null : malformed;
  }
  if (type.startsWith("application/x-www-form-urlencoded")) return null;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    const args: unknown = JSON.parse(text);
    return Array.isArray(args) && !hasDanglingReference(args) ? null : malformed;
  } catch {
    return malformed;
  }
}

/** Every part's header lines are `Name: value` without control characters (the parser throws on others). */
function partHeadersReadable(text: string, boundary: string): boolean {
  const parts = text.split(`--${boundary}`).slice(1, -1);
  return parts.every((part) => {
    const end = part.indexOf("\r\n\r\n");
    if (end < 0) return false;
    const lines = part.slice(2, end).split("\r\n");
    return lines.length > 0 && lines.every((line) => /^[!#-'*+.0-9A-Z^-z|~-]+:[\t\x20-\x7e\x80-\xff]*$/.test(line));
  });
}

// A JSON argument list has no other parts, so React's references to them ("$1", "$@1", "$F1",
// "$Q1"…) can never resolve and make Next fail with a 500. Only plain values may start with "$":
// "$$…" (an escaped dollar), the named constants, "$n…" (a bigint), "$D…" (a date) and "$K…" (a
// form data, read from the body itself).
const PLAIN_DOLLAR = /^\$(?:\$[\s\S]*|undefined|NaN|Infinity|-Infinity|-0|n-?\d+|D[\s\S]+|K[0-9a-f]+)$/;
const DANGLING = { test: (s: string) => s.startsWith("$") && !PLAIN_DOLLAR.test(s) };

function hasDanglingReference(value: unknown, depth = 0): boolean {
  if (depth > 64) return true;
  if (typeof value === "string") return DANGLING.test(value);
  if (Array.isArray(value)) return value.some((v) => hasDanglingReference(v, depth + 1));
  if (value && typeof value === "object") return Object.values(value).some((v) => hasDanglingReference(v, depth + 1));
  return false;
}
