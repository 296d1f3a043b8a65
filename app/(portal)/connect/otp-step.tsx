"use client";

import { useActionState, useEffect, useRef } from "react";
import { PasscodeField } from "@/app/components/passcode-field";
import { sendPasscode } from "./actions";
import type { OtpState, RunView } from "./schemas";
import styles from "./connect.module.css";

// Step 3, the OTP prompt: the passcode goes to the OTP service with the connection's client IP and
// SafeNet's answer is shown as the client receives it. After code 5 the next passcode carries `state`.

const IDLE: OtpState = { status: "idle" };

export function OtpStep({ run, onRestart }: { run: RunView; onRestart: () => void }) {
  const [state, action, pending] = useActionState(sendPasscode, IDLE);
  const inputRef = useRef<HTMLInputElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const done = state.status === "answered" && state.done;
  const resync = state.status === "idle" ? undefined : state.resyncState;
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const hint = run.otp?.hint ?? "Enter your PIN followed by the one-time password.";

  // After an answer the next move is another passcode, or, once logged on, nothing: focus follows.
  useEffect(() => {
    if (state.status === "idle") return;
    if (done) doneRef.current?.focus();
    else inputRef.current?.focus();
  }, [state, done]);

  return (
    <section aria-labelledby="connect-step-3-title" className={styles.step}>
      <h2 id="connect-step-3-title" tabIndex={-1} className={styles.heading}>
        Step 3 of 3: OTP prompt
      </h2>
      <p>
        SafeNet asks <strong>{run.user.upn}</strong> for a passcode. It goes to the OTP service
        {run.connection.clientIp ? ` with the client IP ${run.connection.clientIp}` : ""}.
      </p>
      {!done && (
        <form action={action} noValidate aria-labelledby="connect-step-3-title">
          <input type="hidden" name="ticket" value={run.ticket ?? ""} />
          {resync && <input type="hidden" name="state" value={resync} />}
          <PasscodeField
            id="connect-passcode"
            label={resync ? "Next passcode" : "Passcode"}
            hint={resync ? `Wait for the next code. ${hint}` : hint}
            error={errors.passcode}
            inputRef={inputRef}
          />
          <button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? "Sending…" : resync ? "Send the next passcode" : "Send passcode"}
          </button>
        </form>
      )}
      {done && (
        <h3 ref={doneRef} tabIndex={-1} className={styles.heading}>
          Logon complete
        </h3>
      )}
      <div role="status" aria-live="polite" aria-label="SafeNet's answer">
        {pending && <p className={styles.busy}>Sending the passcode to the OTP service…</p>}
        {!pending && state.status === "error" && <p className="form-error">{state.message}</p>}
        {!pending && state.status === "answered" && (
          <div className={styles.answer} data-code={state.answer.code}>
            <p className={styles.line}>{state.message}</p>
            <p>{state.explanation}</p>
            {state.attempts && <p>{state.attempts}</p>}
          </div>
        )}
      </div>
      <div className="button-row">
        <button type="button" className={done || (state.status === "error" && state.expired) ? undefined : "secondary"} onClick={onRestart}>
          Test another connection
        </button>
      </div>
    </section>
  );
}
