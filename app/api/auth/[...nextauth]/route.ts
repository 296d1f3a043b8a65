import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { unsafeAuthQuery } from "@/lib/auth/redirect";

const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth copies `error` (and the callback URL) into a Location header unescaped: CR/LF or
// characters beyond Latin-1 there make Node throw, which answered 500. Refuse them as bad input.
async function guarded(request: Request, context: Context) {
  const bad = unsafeAuthQuery(new URL(request.url).searchParams);
  if (bad) return Response.json({ error: { code: "bad_request", message: `The ${bad} parameter has characters an address cannot carry.` } }, { status: 400 });
  return handler(request, context);
}

export { guarded as GET, guarded as POST };
