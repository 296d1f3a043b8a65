import NextAuth from "next-auth";
import { authRouteRefusal } from "@/lib/auth/auth-route-guard";
import { authOptions } from "@/lib/auth/options";

const handler = NextAuth(authOptions);
// A credentials provider keeps the id it was given in `options` until next-auth merges them.
const providerIds = authOptions.providers.map((p) => (p as { options?: { id?: string } }).options?.id ?? p.id);

async function guarded(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  // A copy, so that next-auth still reads the body itself.
  const form = req.method === "POST" && /urlencoded|multipart/i.test(req.headers.get("content-type") ?? "") ? await req.clone().formData().catch(() => null) : null;
  const bodyCallbackUrl = form?.get("callbackUrl");
  return authRouteRefusal(req, (await ctx.params).nextauth ?? [], providerIds, typeof bodyCallbackUrl === "string" ? bodyCallbackUrl : null) ?? handler(req, ctx);
}

export { guarded as GET, guarded as POST };
