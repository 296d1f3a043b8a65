"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { PasscodeField } from "@/app/components/passcode-field";
import { sendPasscode } from "./actions";
import type { OtpState, RunView, Transport } from "./schemas";
import styles from "./connect.module.css";

// Step 3, the OTP prompt: the passcode goes to the OTP service with the connection's client IP and
// SafeNet's answer is shown as the client receives it. After code 5 the next passcode carries `state`.
// The passcode can go over RADIUS instead (the portal as a RADIUS client), answered by the same engine;
// after a challenge the next passcode stays on the path that issued the state.

const IDLE: OtpState = { status: "idle" };

export function OtpStep({ run, onRestart, radiusUnavailable }: { run: RunView; onRestart: () => void; radiusUnavailable: string | null }) {
  const [state, action, pending] = useActionState(sendPasscode, IDLE);
  const [chosen, setChosen] = useState<Transport>("http");
  const inputRef = useRef<HTMLInputElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const done = state.status === "answered" && state.done;
  const resync = state.status === "idle" ? undefined : state.resyncState;
  // A resync state belongs to the path that issued it.
  const held: Transport | undefined = resync ? (state.status !== "idle" && state.via) || "http" : undefined;
  const via = held ?? chosen;
  const where = via === "radius" ? "SafeNet's RADIUS service" : "the OTP service";
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
        SafeNet asks <strong>{run.user.upn}</strong> for a passcode. It goes to {where}
        {run.connection.clientIp ? ` with the client IP ${run.connection.clientIp}` : ""}.
      </p>
      {!done && (
        <form action={action} noValidate aria-labelledby="connect-step-3-title">
          <input type="hidden" name="ticket" value={run.ticket ?? ""} />
          {resync && <input type="hidden" name="state" value={resync} />}
          {held && <input type="hidden" name="via" value={held} />}
          {/* Uncontrolled radios: React resets a form after its action, to each input's default, so the default follows the choice. */}
          <fieldset className="field" disabled={!!held} aria-describedby={held ? "connect-via-held" : radiusUnavailable ? "connect-via-off" : undefined}>
            <legend>Send the passcode over</legend>
            <label className={styles.option}>
              <input type="radio" name={held ? undefined : "via"} value="http" defaultChecked={via === "http"} onChange={() => setChosen("http")} />
              OTP service (HTTP)
            </label>
            <label className={styles.option}>
              <input type="radio" name={held ? undefined : "via"} value="radius" defaultChecked={via === "radius"} disabled={!!radiusUnavailable} onChange={() => setChosen("radius")} />
              RADIUS
            </label>
            {held && (
              <p id="connect-via-held" className="hint">
                The next passcode goes over {held === "radius" ? "RADIUS" : "HTTP"}, with the state SafeNet sent there.
              </p>
            )}
            {!held && radiusUnavailable && (
              <p id="connect-via-off" className="hint">
                {radiusUnavailable}
              </p>
            )}
          </fieldset>
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
        {pending && <p className={styles.busy}>Sending the passcode to {where}…</p>}
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
