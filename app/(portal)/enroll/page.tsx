import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { requireEnrollee } from "@/lib/server/auth/session";
import { signInIsRecent } from "@/lib/server/auth/session-refresh";
import { refusal } from "@/lib/enroll/status";
import { enrollmentStatus, pinLengths } from "@/lib/server/enroll/status";
import { randomUUID } from "node:crypto";
import { EnrollmentWizard } from "./enrollment-wizard";
import { wizardViewOf } from "./wizard-view";
import { ReauthNotice } from "./reauth-notice";
import { store } from "@/lib/server/store";

export const metadata: Metadata = { title: "New Account Info" };
export const dynamic = "force-dynamic";

export default async function EnrollPage({ searchParams }: { searchParams: Promise<{ reason?: string; invited?: string }> }) {
  const viewer = await requireEnrollee();
  const { reason, invited } = await searchParams;
  const settings = await store.getMfaSettings();
  const status = await enrollmentStatus(viewer.upn, settings);

  let body: ReactNode;
  if (status.kind === "choose_pin" || status.kind === "activate" || status.kind === "active") {
    const start = wizardViewOf(status) ?? { step: 1 };
    body =
      status.kind !== "active" && !signInIsRecent(viewer.authAt) ? (
        <ReauthNotice callbackUrl="/enroll" />
      ) : (
        <EnrollmentWizard
          user={status.user}
          settings={{ tokenType: settings.tokenType, splitDelivery: settings.splitDelivery }}
          pinLengths={await pinLengths()}
          start={start}
          renderId={randomUUID()}
          lostSerial={status.kind === "choose_pin" ? (status.lost?.serial ?? null) : null}
        />
      );
  } else {
    body = (
      <>
        <p className={status.kind === "unavailable" ? "form-error" : "notice"}>{refusal(status)}</p>
        {status.kind === "blocked" && (
          <p>
            <Link href="/token">My token</Link>
          </p>
        )}
        <p>
          <Link href="/">Back to the start page</Link>
        </p>
      </>
    );
  }

  return (
    <section aria-labelledby="enroll-title">
      <h1 id="enroll-title">New Account Info</h1>
      <p className="muted">Enroll your SafeNet token, {viewer.name || viewer.upn}.</p>
      {invited === "1" && status.kind === "choose_pin" && (
        <p className="notice" role="status">
          Your invitation is accepted. Choose your own OTP PIN below; the activation email follows at once.
        </p>
      )}
      {reason === "admin" && (
        <p className="notice" role="status">
          The admin console needs a sign-in with PIN and one-time password. Enroll and activate your token, then sign in again.
        </p>
      )}
      {body}
    </section>
  );
}
