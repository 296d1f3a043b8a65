import NextAuth from "next-auth";
import { authRouteRefusal } from "@/lib/auth/auth-route-guard";
import { authOptions } from "@/lib/server/auth/options";
import { unsafeAuthQuery } from "@/lib/auth/redirect";

const handler = NextAuth(authOptions);
// A credentials provider keeps the id it was given in `options` until next-auth merges them.
const providerIds = authOptions.providers.map((p) => (p as { options?: { id?: string } }).options?.id ?? p.id);

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth copies `error` (and the callback URL) into a Location header unescaped: CR/LF or
// characters beyond Latin-1 there make Node throw, which answered 500. Refuse them as bad input,
// and the requests next-auth would answer with a 500 or its own error text.
async function guarded(req: Request, ctx: Context) {
  const bad = unsafeAuthQuery(new URL(req.url).searchParams);
  if (bad) return Response.json({ error: { code: "bad_request", message: `The ${bad} parameter has characters an address cannot carry.` } }, { status: 400 });
  // A copy, so that next-auth still reads the body itself.
  const form = req.method === "POST" && /urlencoded|multipart/i.test(req.headers.get("content-type") ?? "") ? await req.clone().formData().catch(() => null) : null;
  const bodyCallbackUrl = form?.get("callbackUrl");
  return authRouteRefusal(req, (await ctx.params).nextauth ?? [], providerIds, typeof bodyCallbackUrl === "string" ? bodyCallbackUrl : null) ?? handler(req, ctx);
}

export { guarded as GET, guarded as POST };
