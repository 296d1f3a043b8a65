import { NextResponse, type NextRequest } from "next/server";

// Only a redirect for people without any session cookie; every page and action still checks the
// session itself.
export function proxy(request: NextRequest) {
  const hasSession = request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (hasSession) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/admin/:path*", "/enroll/:path*", "/connect/:path*", "/token/:path*", "/mailbox/:path*"] };
