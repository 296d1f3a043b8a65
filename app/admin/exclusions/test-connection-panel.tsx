"use client";

import { useActionState, useState } from "react";
import { FormField } from "@/app/components/form-field";
import { testConnection } from "./actions";
import type { TestResult, TestState } from "./schemas";
import styles from "./exclusions.module.css";
import { DecisionTrace } from "@/app/components/decision-trace";

const IDLE: TestState = { status: "idle" };

const FIELDS = [
  { name: "username", label: "User", hint: "Any logon name: alice@corp.local, CORP\\alice or alice." },
  { name: "clientIp", label: "Client IP address", hint: "Optional; IPv4 or IPv6, as the client reports it." },
  { name: "clientMac", label: "Client MAC address", hint: "Optional; any common notation." },
  { name: "gateway", label: "Gateway IP address", hint: "Optional; the RAS Secure Gateway the client connects through." },
] as const;

/** `version` identifies the rules and settings on screen; a result from older ones is marked. */
export function TestConnectionPanel({ version }: { version: string }) {
  const [state, action, pending] = useActionState(testConnection, IDLE);
  // Remember which rules a result was computed with (adjusting state while rendering, not in an effect).
  const [seen, setSeen] = useState({ state, version });
  if (seen.state !== state) setSeen({ state, version });
  const stale = state.status === "decided" && seen.version !== version;
  const values = state.status === "idle" ? {} : (state.values ?? {});
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  // While a new test runs, the previous answer is hidden so it cannot be mistaken for the new one.
  const shown = !pending && state.status === "decided" ? state : null;

  return (
    <section aria-labelledby="test-title" className={styles.card}>
      <h2 id="test-title">Test a connection</h2>
      <p>
        See what a logon would meet with the current MFA settings and rules. This only reads from SafeNet: nobody is signed in
        and no token changes.
      </p>
      <form action={action} noValidate>
        <div className={styles.grid}>
          {FIELDS.map((f) => (
            <FormField key={f.name} id={`test-${f.name}`} label={f.label} hint={f.hint} error={errors[f.name]}>
              {(aria) => <input {...aria} name={f.name} defaultValue={values[f.name] ?? ""} autoComplete="off" spellCheck={false} />}
            </FormField>
          ))}
        </div>
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Testing…" : "Test connection"}
        </button>
      </form>
      <section aria-label="Decision" aria-busy={pending} className={styles.decision} data-outcome={shown?.result.outcome}>
        <div role="status" aria-live="polite">
          {pending && <p className="muted">Testing the connection…</p>}
          {!pending && state.status === "idle" && <p className="muted">No test yet: enter a user and press Test connection.</p>}
          {!pending && state.status === "error" && <p className="form-error">{state.message}</p>}
          {shown && (
            <>
              <p className={styles.outcome}>{shown.result.title}</p>
              <p>{shown.result.reason}</p>
              <p>{shown.result.decidedBy}</p>
            </>
          )}
        </div>
        {shown && <DecisionDetails result={shown.result} stale={stale} />}
      </section>
    </section>
  );
}

function DecisionDetails({ result, stale }: { result: TestResult; stale: boolean }) {
  const { user } = result;
  return (
    <>
      {stale && <p className="notice">The rules or settings changed after this test. Test again to see the current answer.</p>}
      <dl className={styles.facts}>
        <dt>User</dt>
        <dd>
          {user.displayName} ({user.upn}); groups: {user.groups.length ? user.groups.join(", ") : "none"}; SafeNet account:{" "}
          {user.safenetAccount ? "yes" : "no"}; tokens: {user.tokens.length ? user.tokens.join(", ") : "none"}
        </dd>
        <dt>Settings</dt>
        <dd>{result.settings}</dd>
      </dl>
      <DecisionTrace id="trace-title" steps={result.trace} />
    </>
  );
}
