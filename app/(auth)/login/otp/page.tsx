import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { viewerState } from "@/lib/server/auth/session";
import { env } from "@/lib/runtime/env";
import { landingPath } from "../landing";
import { OtpForm } from "./otp-form";

export const metadata: Metadata = { title: "PIN and one-time password" };

export default async function OtpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const next = safeRedirectPath(callbackUrl, env().NEXTAUTH_URL);
  const state = await viewerState();
  if (state.status === "anonymous" || state.status === "expired") redirect("/login");
  if (state.status === "signed_in") redirect(next);
  if (state.status === "enroll_only") redirect(landingPath("enroll", next, env().NEXTAUTH_URL));
  return (
    <section aria-labelledby="otp-title" className="narrow">
      <h1 id="otp-title">PIN and one-time password</h1>
      <p>
        Signed in as <strong>{state.viewer.upn}</strong>. Your SafeNet token is active: enter your OTP PIN followed by the
        one-time password that MobilePASS shows.
      </p>
      <OtpForm callbackUrl={next} />
    </section>
  );
}
