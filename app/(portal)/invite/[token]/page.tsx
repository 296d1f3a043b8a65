import type { Metadata } from "next";
import Link from "next/link";
import { viewerState } from "@/lib/server/auth/session";
import { linkStanding, OTHER_USER, refusalOf } from "@/lib/server/invitations/accept";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Your invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

// The landing page of an invitation link. Opening it changes nothing and signs nobody in: the user
// signs in with their own password, and only the invited user can accept it (see actions.ts).
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const standing = await linkStanding(token);
  const state = await viewerState();
  const here = `/invite/${encodeURIComponent(token)}`;

  let body;
  if (standing.kind !== "sent") {
    body = (
      <>
        <p role="alert" className="form-error">
          {refusalOf(standing)}
        </p>
        <p>
          <Link href="/">Back to the start page</Link>
        </p>
      </>
    );
  } else if (state.status === "anonymous" || state.status === "expired") {
    body = (
      <>
        <p>You were invited to set up a SafeNet token. First sign in with your domain user name and your usual password.</p>
        <p>
          <Link href={`/login?callbackUrl=${encodeURIComponent(here)}`}>Sign in to accept the invitation</Link>
        </p>
      </>
    );
  } else if (state.status === "otp_pending") {
    body = (
      <p>
        <Link href={`/login/otp?callbackUrl=${encodeURIComponent(here)}`}>Finish signing in with your PIN and one-time password</Link>, then
        come back to this link.
      </p>
    );
  } else if (state.viewer.upn.toLowerCase() !== standing.row.upn) {
    body = (
      <p role="alert" className="form-error">
        {OTHER_USER}
      </p>
    );
  } else {
    body = (
      <>
        <p>
          {state.viewer.name || state.viewer.upn}, an administrator invited you to set up your SafeNet token. Accept, then choose your
          own PIN in New Account Info: nobody else learns it. The activation email follows at once.
        </p>
        <AcceptForm token={token} />
      </>
    );
  }

  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">Your invitation</h1>
      {body}
    </section>
  );
}
