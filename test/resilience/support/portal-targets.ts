import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { ROOT } from "../../integration/harness";
import { hostileString, hostileValue, percentEncode } from "./hostile";

// What the portal fuzz aims at: every page and route handler, and every server action of the build,
// invoked by its id from the server-reference manifest as e2e/authorization.spec.ts does.

export interface PortalTarget {
  method: string;
  /** With {s} where a hostile (or real) segment goes. */
  path: string;
  kind: "page" | "auth-form" | "api";
}

export const PAGE_PATHS = [
  "/", "/login", "/login/otp", "/enroll", "/token", "/connect", "/mailbox", "/mobilepass", "/denied",
  "/admin", "/admin/mfa", "/admin/exclusions", "/admin/users", "/admin/users/{s}", "/admin/policy", "/admin/events", "/{s}", "/admin/{s}",
];

export const TARGETS: PortalTarget[] = [
  ...PAGE_PATHS.map((p) => ({ method: "GET", path: p, kind: "page" as const })),
  ...["/api/auth/session", "/api/auth/csrf", "/api/auth/providers", "/api/auth/signin", "/api/auth/signout", "/api/auth/error", "/api/auth/{s}", "/api/auth/callback/{s}"].map(
    (p) => ({ method: "GET", path: p, kind: "api" as const }),
  ),
  ...["/api/auth/callback/credentials", "/api/auth/callback/otp", "/api/auth/signin/credentials", "/api/auth/{s}"].map((p) => ({ method: "POST", path: p, kind: "auth-form" as const })),
  { method: "GET", path: "/api/health", kind: "api" },
  { method: "GET", path: "/api/mailbox/{s}/attachments/{s}", kind: "api" },
  { method: "GET", path: "/api/admin/events.csv", kind: "api" },
  { method: "POST", path: "/api/admin/events.csv", kind: "api" },
  { method: "DELETE", path: "/api/health", kind: "api" },
];

export interface Action {
  id: string;
  name: string;
  page: string;
}

/** Every server action of the build, with the page that serves it. */
export function buildActions(): Action[] {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, distDir, "server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  const page = (worker: string) =>
    ("/" + worker.replace(/^app\//, "").replace(/\/page$/, "").replace(/\[upn\]/g, "alice%40corp.local").replace(/\[[^\]]+\]/g, "x")).replace(/\/\([^)]+\)/g, "") || "/";
  return Object.entries(manifest.node).map(([id, a]) => ({ id, name: `${a.filename}#${a.exportedName}`, page: page(Object.keys(a.workers)[0]) }));
}

/** Every form field any portal form has, so hostile values reach the checks behind the field names. */
export const FORM_FIELDS = [
  "username", "password", "passcode", "pin", "pinConfirm", "newPin", "email", "serial", "upn", "ticket", "state", "clientIp", "clientMac",
  "gateway", "kind", "value", "label", "id", "enabled", "stepUpPasscode", "otp1", "otp2", "provider", "mode", "otpServiceUrl", "tmsUrl",
  "userRepository", "tokenType", "splitDelivery", "lockThreshold", "lockDurationSeconds", "pinMode", "otpLength", "callbackUrl", "csrfToken", "json",
];

export const hostileFields = fc.dictionary(
  fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FORM_FIELDS) }, { weight: 1, arbitrary: hostileString.map((s) => s.slice(0, 200)) }),
  fc.oneof({ weight: 5, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom("4089", "alice@corp.local", "bob@corp.local", "1", "true", "on", "10.0.0.1") }),
  { maxKeys: 8 },
);

/** How a server action's body is hostile: well-formed React payloads with hostile values, or not well-formed at all. */
export type ActionBodyKind = "formdata" | "args" | "malformed" | "huge" | "cross-origin";

const BOUNDARY = "----portalfuzz7MA4YWxkTrZu0gW";

/** A multipart body as React's encodeReply writes it for (prevState, FormData): "_1_<name>" the form's fields, then "0", the root (last, or the fields are not there yet when it is decoded). */
export function multipart(parts: [string, string | Buffer][]): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const [name, value] of parts) {
    const escaped = name.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${escaped}"\r\n\r\n`));
    chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(value));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

/** JSON as React's encodeReply writes it: a string that starts with "$" is escaped as "$$…" (a bare "$…" is a reference). */
export const replyJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "string" && x.startsWith("$") ? `$${x}` : x)) ?? "null";

export const actionBody = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(hostileFields, hostileValue).map(([fields, prev]) => {
      const { body, contentType } = multipart([...Object.entries(fields).map(([k, v]) => [`_1_${k}`, v] as [string, string]), ["0", `[${replyJson(prev ?? null)},"$K1"]`]]);
      // A browser escapes only CR, LF and '"' in a field's name; other control characters make a part header the multipart parser rejects.
      const kind: ActionBodyKind = Object.keys(fields).some((k) => /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(k)) ? "malformed" : "formdata";
      return { kind, body, contentType };
    }),
  },
  {
    weight: 3,
    arbitrary: fc.array(hostileValue, { maxLength: 3 }).map((args) => ({ kind: "args" as ActionBodyKind, body: Buffer.from(replyJson(args)), contentType: "text/plain;charset=UTF-8" })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom<string | Buffer>("", "{", "[", "[1,", '"$K1"', '["$K99"]', '["$@1"]', '["$Q1"]', '["$F1"]', '["$h1"]', "$", "null", "}{", "[".repeat(5_000), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from([0xc3, 0x28])),
        fc.constantFrom("text/plain;charset=UTF-8", "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=nope", "multipart/form-data", "application/octet-stream", ""),
      )
      .map(([body, contentType]) => ({ kind: "malformed" as ActionBodyKind, body: Buffer.from(body), contentType })),
  },
  { weight: 1, arbitrary: fc.constantFrom(1_100_000, 3_000_000).map((n) => ({ kind: "huge" as ActionBodyKind, body: Buffer.from(JSON.stringify(["x".repeat(n)])), contentType: "text/plain;charset=UTF-8" })) },
  { weight: 1, arbitrary: fc.constant({ kind: "cross-origin" as ActionBodyKind, body: Buffer.from("[]"), contentType: "text/plain;charset=UTF-8" }) },
);

/** A real-looking value for {s} now and then (a real UPN, a real page), so hostile input reaches past the lookups. */
export const REAL_SEGMENTS = ["alice%40corp.local", "bob%40corp.local", "mfa", "users", "login", "x", percentEncode("CORP\\alice")];

/** Invokes a server action as the browser does: by id, on its page, with (prevState, FormData) or plain arguments. */
export async function invokeAction(base: string, action: Action, cookie: string, args: { form: Record<string, string> } | { args: unknown[] }, timeoutMs = 15_000) {
  const started = performance.now();
  const body =
    "form" in args
      ? multipart([...Object.entries(args.form).map(([k, v]) => [`_1_${k}`, v] as [string, string]), ["0", JSON.stringify([{ status: "idle" }, "$K1"])]])
      : { body: Buffer.from(JSON.stringify(args.args)), contentType: "text/plain;charset=UTF-8" };
  try {
    const res = await fetch(base + action.page, {
      method: "POST",
      headers: { "next-action": action.id, accept: "text/x-component", "content-type": body.contentType, cookie },
      body: new Uint8Array(body.body),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, text: await res.text(), redirect: res.headers.get("x-action-redirect"), ms: performance.now() - started };
  } catch (err) {
    return { status: 0, text: (err as Error).message, redirect: null, ms: performance.now() - started };
  }
}
