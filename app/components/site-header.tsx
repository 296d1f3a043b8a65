import Link from "next/link";
import { viewerState } from "@/lib/auth/session";
import { mailSinkConfigured } from "@/lib/mail/mailbox";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader() {
  const state = await viewerState();
  const viewer = state.status === "signed_in" || state.status === "otp_pending" ? state.viewer : null;
  return (
    <header className="site-header">
      <Link className="site-title" href="/">
        SafeNet Login portal
      </Link>
      <nav aria-label="Account" className="account-nav">
        {viewer ? (
          <>
            {state.status === "signed_in" && <Link href="/token">My token</Link>}
            {state.status === "signed_in" && mailSinkConfigured() && <Link href="/mailbox">Demo mailbox</Link>}
            {state.status === "signed_in" && viewer.isAdmin && <Link href="/admin">Admin console</Link>}
            <span className="who">{viewer.upn}</span>
            <SignOutButton />
          </>
        ) : (
          <Link href="/login">Sign in</Link>
        )}
      </nav>
    </header>
  );
}
