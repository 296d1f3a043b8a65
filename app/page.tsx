import Link from "next/link";
import { viewerState } from "@/lib/auth/session";
import { env } from "@/lib/config/env";

export const dynamic = "force-dynamic";

type ServiceStatus =
  | { state: "up"; version: string }
  | { state: "down"; problem: string };

// Any failure (refused, timeout, wrong answer) becomes one sentence for the page.
async function probe(url: string, expectedService: string, init?: RequestInit): Promise<ServiceStatus> {
  try {
    const response = await fetch(url, { ...init, cache: "no-store", signal: AbortSignal.timeout(2000) });
    if (!response.ok) return { state: "down", problem: `answered HTTP ${response.status}` };
    const body = (await response.json()) as { service?: unknown; status?: unknown; version?: unknown };
    if (body.service !== expectedService || body.status !== "ok") {
      return { state: "down", problem: "answered, but not as the expected service" };
    }
    return { state: "up", version: typeof body.version === "string" ? body.version : "unknown" };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return { state: "down", problem: timedOut ? "did not answer within 2 seconds" : "not reachable" };
  }
}

function StatusLine({ name, url, status, hint }: { name: string; url: string; status: ServiceStatus; hint: string }) {
  if (status.state === "up") {
    return (
      <li className="status status-up">
        <span className="status-label">{name}: up</span>, version {status.version}
        <div className="muted">
          <code>{url}</code>
        </div>
      </li>
    );
  }
  return (
    <li className="status status-down">
      <span className="status-label">{name}:</span> {status.problem} at <code>{url}</code> — {hint}
    </li>
  );
}

async function SafeNetStatus() {
  let safenetUrl: string;
  try {
    safenetUrl = env().SAFENET_URL;
  } catch (error) {
    return (
      <p className="status status-down" role="alert">
        {error instanceof Error ? error.message : "The portal configuration could not be read."}
      </p>
    );
  }
  const validatorUrl = `${safenetUrl}/TokenValidator/TokenValidator.asmx`;
  const [simulator, validator] = await Promise.all([
    probe(`${safenetUrl}/health`, "safenet-simulator"),
    probe(validatorUrl, "TokenValidator"),
  ]);
  return (
    <ul className="status-list">
      <StatusLine
        name="SafeNet simulator"
        url={safenetUrl}
        status={simulator}
        hint="start it with npm run safenet (npm start runs it too)."
      />
      <StatusLine
        name="OTP validator"
        url={validatorUrl}
        status={validator}
        hint="check the OTP Service URL and that the SafeNet service is running."
      />
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
  if (state.status !== "signed_in") {
    return (
      <p>
        <Link href="/login">Sign in with your domain credentials</Link> to enroll your token or open the admin console.
      </p>
    );
  }
  const { viewer } = state;
  return (
    <section aria-labelledby="you-title" className="notice">
      <h2 id="you-title">Signed in as {viewer.name || viewer.upn}</h2>
      <p>
        {viewer.upn}
        {viewer.mfa === "done" ? ", with PIN and one-time password." : ", with your domain password (no active token)."}
      </p>
      <ul>
        {viewer.isAdmin && (
          <li>
            <Link href="/admin">Admin console</Link>
          </li>
        )}
        {viewer.mfa !== "done" && (
          <li>
            <Link href="/enroll">Enroll your SafeNet token</Link>
          </li>
        )}
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
