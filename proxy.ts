import { NextResponse, type NextRequest } from "next/server";
import { clientInfo } from "@/lib/runtime/request-info";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/session-cookie-names";
import { env } from "@/lib/runtime/env";
import { securityHeaders } from "@/lib/http/security-headers";

const PROTECTED = ["/admin", "/enroll", "/connect", "/token", "/mailbox"];
const isProtected = (pathname: string) => PROTECTED.some((p) => pathname === p || pathname.startsWith(`${p}/`));

// Security headers on every response, with a fresh CSP nonce that Next stamps on its own scripts
// (it reads the policy from the request). The redirect is only for people without any session
// cookie on protected paths; every page and action still checks the session itself.
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const https = env().NEXTAUTH_URL.startsWith("https:") || clientInfo(request.headers).proto === "https";
  const api = request.nextUrl.pathname.startsWith("/api/");
  const headers = securityHeaders({ nonce, https, api, dev: process.env.NODE_ENV === "development" });

  let response: NextResponse;
  if (isProtected(request.nextUrl.pathname) && !SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name))) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
    response = NextResponse.redirect(login);
  } else {
    const forwarded = new Headers(request.headers);
    forwarded.set("x-nonce", nonce);
    forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]);
    response = NextResponse.next({ request: { headers: forwarded } });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

// Everything but Next's immutable build assets.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
