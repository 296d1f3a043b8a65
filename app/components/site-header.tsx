import Link from "next/link";
import { viewerState } from "@/lib/server/auth/session";
import { mailSinkConfigured } from "@/lib/server/mail/mailbox";
import { HeaderMenu } from "./header-menu";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader() {
  const state = await viewerState();
  const viewer = state.status === "anonymous" || state.status === "expired" ? null : state.viewer;
  const full = state.status === "signed_in";
  return (
    <header className="site-header">
      <Link className="site-title" href="/">
        SafeNet Login portal
      </Link>
      <nav aria-label="Account" className="account-nav">
        {viewer ? (
          <HeaderMenu>
            {full && <Link href="/token">My token</Link>}
            {state.status === "enroll_only" && <Link href="/enroll">New Account Info</Link>}
            {(full || state.status === "enroll_only") && mailSinkConfigured() && <Link href="/mailbox">Demo mailbox</Link>}
            {full && viewer.isAdmin && <Link href="/admin">Admin console</Link>}
            <span className="who">{viewer.upn}</span>
            <SignOutButton />
          </HeaderMenu>
        ) : (
          <Link href="/login">Sign in</Link>
        )}
      </nav>
    </header>
  );
}
