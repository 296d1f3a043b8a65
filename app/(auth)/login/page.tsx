import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { viewerState } from "@/lib/server/auth/session";
import { env } from "@/lib/runtime/env";
import { landingPath } from "./landing";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; expired?: string }> }) {
  const { callbackUrl, expired } = await searchParams;
  const next = safeRedirectPath(callbackUrl, env().NEXTAUTH_URL);
  const state = await viewerState();
  if (state.status === "otp_pending") redirect("/login/otp");
  if (state.status === "enroll_only") redirect(landingPath("enroll", next, env().NEXTAUTH_URL));
  if (state.status === "signed_in") redirect(next);
  return (
    <section aria-labelledby="login-title" className="narrow">
      <h1 id="login-title">Sign in</h1>
      <p>Use your domain credentials, as in the Parallels Client: <code>alice@corp.local</code>, <code>CORP\alice</code> or <code>alice</code>.</p>
      {expired && (
        <p className="notice" role="status">
          Your session has ended: it expired, was signed out, or your token changed. Sign in again.
        </p>
      )}
      <LoginForm callbackUrl={next} />
    </section>
  );
}
