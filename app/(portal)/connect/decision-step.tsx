"use client";

import Link from "next/link";
import { EnrollmentWizard } from "../enroll/enrollment-wizard";
import type { RunView } from "./schemas";
import styles from "./connect.module.css";
import { DecisionTrace } from "@/app/components/decision-trace";

// Step 2: the decision as a trace of DESIGN.md's order, the rule that decided, and what the client
// shows next: nothing (allowed or denied), New Account Info, or the OTP prompt.

const NEXT: Record<RunView["decision"]["outcome"], string> = {
  allow: "The client connects without asking for a one-time password.",
  deny: "The client refuses the logon and shows the reason.",
  require_otp: "The client asks for the PIN and one-time password.",
  enroll: "The client shows New Account Info: choose an OTP PIN and email, then activate the token.",
};

export function DecisionStep({ run, current, onContinue, onRestart }: { run: RunView; current: boolean; onContinue: () => void; onRestart: () => void }) {
  const { decision, user, connection } = run;
  const rule = decision.rule;
  return (
    <section aria-labelledby="connect-step-2-title" className={styles.step}>
      <h2 id="connect-step-2-title" tabIndex={-1} className={styles.heading}>
        Step 2 of 3: Decision
      </h2>
      <div className={styles.outcome} data-outcome={decision.outcome}>
        <p className={styles.title}>{decision.title}</p>
        <p>
          {decision.because}
          {/* With MFA for no connection by default, the rule that matched is what put MFA on. */}
          {rule && decision.code !== "excluded" && ` ${rule.text}`}
          {rule?.href && (
            <>
              {" "}
              <Link href={rule.href}>Show rule #{rule.id} under Exclusions</Link>
            </>
          )}
        </p>
        <p>{decision.reason}</p>
        <p>{NEXT[decision.outcome]}</p>
      </div>

      <DecisionTrace id="connect-trace-title" steps={decision.rows} />

      <h3 id="connect-facts-title">User and connection</h3>
      <dl aria-labelledby="connect-facts-title" className={styles.facts}>
        <dt>User</dt>
        <dd>
          {user.displayName} ({user.upn})
        </dd>
        <dt>Groups</dt>
        <dd>{user.groups.length ? user.groups.join(", ") : "none"}</dd>
        <dt>SafeNet account</dt>
        <dd>{user.safenetAccount ? "yes" : "no"}</dd>
        <dt>Tokens</dt>
        <dd>{user.tokens.length ? user.tokens.join(", ") : "none"}</dd>
        <dt>Client IP</dt>
        <dd>{connection.clientIp || "not reported"}</dd>
        <dt>Client MAC</dt>
        <dd>{connection.clientMac || "not reported"}</dd>
        <dt>Gateway</dt>
        <dd>{connection.gateway || "not reported"}</dd>
        <dt>Settings</dt>
        <dd>{run.settings}</dd>
      </dl>

      {decision.outcome === "enroll" && (
        <div className={styles.wizard} role="group" aria-labelledby="connect-enroll-title">
          <h3 id="connect-enroll-title">New Account Info</h3>
          {run.enroll ? (
            <>
              <EnrollmentWizard {...run.enroll} returnTo="/connect" />
              <p>Once the wizard says the token is active, the client continues with the OTP prompt.</p>
            </>
          ) : (
            <p className="notice">
              New Account Info enrolls the signed-in user only. To play it out for {user.upn}, sign in as {user.upn} and test
              again; or provision a token for them under Users and tokens.
            </p>
          )}
        </div>
      )}
      {current && (
        <div className="button-row">
          {decision.outcome === "require_otp" && (
            <button type="button" onClick={onContinue}>
              Continue to the OTP prompt
            </button>
          )}
          {decision.outcome === "enroll" && run.enroll && (
            <button type="button" className="secondary" onClick={onContinue}>
              Continue to the OTP prompt
            </button>
          )}
          <button type="button" className={decision.outcome === "allow" || decision.outcome === "deny" ? undefined : "secondary"} onClick={onRestart}>
            Test another connection
          </button>
        </div>
      )}
    </section>
  );
}
