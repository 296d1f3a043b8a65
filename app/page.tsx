import Link from "next/link";
import { viewerState } from "@/lib/server/auth/session";
import { env } from "@/lib/runtime/env";
import type { MfaSettings } from "@/lib/mfa/settings";
import { checkOtpService, checkTmsApi, type CheckResult } from "@/lib/server/safenet/check-connection";
import { store } from "@/lib/server/store";

export const dynamic = "force-dynamic";

function StatusLine({ name, url, result }: { name: string; url: string; result: CheckResult }) {
  return (
    <li className={`status ${result.ok ? "status-up" : "status-down"}`}>
      <span className="status-label">
        {name}: {result.ok ? "up" : "not available"}
      </span>
      {result.ok ? `, version ${result.version} (${result.ms} ms)` : ` — ${result.message}`}
      <div className="muted">
        <code>{url}</code>
      </div>
    </li>
  );
}

/** The SafeNet services as the portal is configured to use them (Admin console › Multi-factor authentication). */
async function SafeNetStatus() {
  let settings: MfaSettings;
  let apiKey: string;
  try {
    settings = await store.getMfaSettings();
    apiKey = env().SAFENET_TMS_API_KEY;
  } catch (error) {
    return (
      <p className="status status-down" role="alert">
        {error instanceof Error ? error.message : "The portal configuration could not be read."}
      </p>
    );
  }
  const [otp, tms] = await Promise.all([checkOtpService(settings.otpServiceUrl), checkTmsApi(settings.tmsUrl, { url: settings.tmsUrl, apiKey })]);
  return (
    <ul className="status-list">
      <StatusLine name="OTP service" url={settings.otpServiceUrl} result={otp} />
      <StatusLine name="TMS Web API" url={settings.tmsUrl} result={tms} />
    </ul>
  );
}

async function ViewerPanel() {
  const state = await viewerState();
  if (state.status === "otp_pending") {
    return (
      <p className="notice">
        Your token is active: <Link href="/login/otp">finish signing in with your PIN and one-time password</Link>.
      </p>
    );
  }
  if (state.status !== "signed_in" && state.status !== "enroll_only") {
    return (
      <p>
        <Link href="/login">Sign in with your domain credentials</Link> to enroll your token or open the admin console.
      </p>
    );
  }
  const { viewer } = state;
  const full = state.status === "signed_in";
  const links: [string, string][] = full
    ? [...(viewer.isAdmin ? ([["/admin", "Admin console"]] as [string, string][]) : []), ["/token", "My token"], ["/connect", "Connection test"]]
    : [["/enroll", "New Account Info: enroll your SafeNet token"]];
  return (
    <section aria-labelledby="you-title" className="notice">
      <h2 id="you-title">Signed in as {viewer.name || viewer.upn}</h2>
      <p>
        {full
          ? `${viewer.upn}, with PIN and one-time password.`
          : `${viewer.upn}, with your domain password only: you have no usable SafeNet token, so this session can enroll one and nothing more.`}
      </p>
      <ul>
        {[...links, ["/mobilepass", "Simulated MobilePASS"]].map(([href, label]) => (
          <li key={href}>
            <Link href={href}>{label}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function HomePage() {
  return (
    <>
      <h1>Multi-factor sign-in for Parallels RAS, through SafeNet</h1>
      <ViewerPanel />
      <p>
        This portal lets employees enroll their SafeNet token — choose an OTP PIN, receive the activation
        email, activate MobilePASS — and sign in with PIN and one-time password. Administrators choose the
        MFA provider, set the SafeNet properties, keep exclusion rules and follow every sign-in event.
      </p>
      <p>
        In demo and trial environments a simulated SafeNet service (token management, OTP validation, a
        user directory and a mail sink) runs on this machine, so the whole flow works offline.
      </p>
      <h2>Service status</h2>
      <SafeNetStatus />
    </>
  );
}
