import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Enroll your token" };

// The enrollment wizard (New Account Info) arrives with the employee pages; until then this page
// says plainly what is missing.
export default async function EnrollPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const viewer = await requireUser();
  const { reason } = await searchParams;
  return (
    <section aria-labelledby="enroll-title">
      <h1 id="enroll-title">Enroll your SafeNet token</h1>
      {reason === "admin" && (
        <p className="notice" role="status">
          The admin console needs a sign-in with PIN and one-time password, and {viewer.upn} has no active token yet.
        </p>
      )}
      <p>
        Self-service enrollment (New Account Info: choose an OTP PIN and email, receive the activation email, activate
        MobilePASS) is not available in this version yet. Until it is, an administrator can provision and activate a token for
        you through the SafeNet TMS.
      </p>
    </section>
  );
}
