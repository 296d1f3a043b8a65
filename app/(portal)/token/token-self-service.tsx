"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { PasscodeField } from "@/app/components/passcode-field";
import { PinFields } from "@/app/components/pin-fields";
import { SEND_NEW_ACTIVATION, type ActivationView, type EnrollmentUser } from "@/lib/enroll/status";
import type { PinLengths } from "@/lib/enroll/pin-rules";
import { IDLE, type ActionState } from "@/lib/forms/state";
import type { TokenState } from "@/lib/safenet/contract";
import { allows } from "@/lib/safenet/token-actions";
import { sendNewActivation, type WizardResult } from "../enroll/actions";
import { EnrollmentWizard } from "../enroll/enrollment-wizard";
import { ReauthNotice } from "../enroll/reauth-notice";
import { changeMyPin, reportTokenLost } from "./actions";
import styles from "./token.module.css";

interface Props {
  token: { serial: string; state: TokenState; otpMode: "time" | "event" } | null;
  user: EnrollmentUser;
  settings: { tokenType: "time" | "event"; splitDelivery: boolean };
  pinLengths: PinLengths;
}

// The actions on My token; the outcome sentence lives here so it outlasts the section that caused it.
export function TokenSelfService(props: Props) {
  const { token } = props;
  const [outcome, setOutcome] = useState<{ message: string; n: number }>({ message: "", n: 0 });
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const report = (message: string) => setOutcome((o) => ({ message, n: o.n + 1 }));
  // A new attempt clears the last outcome, so a success and a later failure never show together.
  const clear = () => setOutcome((o) => (o.message ? { message: "", n: o.n } : o));

  useEffect(() => {
    if (outcome.n > 0) outcomeRef.current?.focus();
  }, [outcome.n]);

  const canEnroll = !token || token.state === "Lost";
  return (
    <>
      <p ref={outcomeRef} role="status" aria-live="polite" tabIndex={-1} className={outcome.message ? `success ${styles.outcome}` : undefined}>
        {outcome.message}
      </p>
      {canEnroll && (
        <p>
          <Link className="button" href="/enroll">
            {token ? "Enroll a new token" : "Enroll a token"}
          </Link>
        </p>
      )}
      {token?.state === "Active" && <ChangePin serial={token.serial} pinLengths={props.pinLengths} onStart={clear} onDone={report} />}
      {token?.state === "Assigned" && <ResendActivation {...props} token={token} />}
      {token && allows("revoke", token.state) && <ReportLost serial={token.serial} onStart={clear} onDone={report} />}
    </>
  );
}

function ChangePin(props: { serial: string; pinLengths: PinLengths; onStart: () => void; onDone: (message: string) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, submit, pending] = useActionState(async (prev: ActionState, form: FormData) => {
    props.onStart();
    const result = await changeMyPin(prev, form);
    if (result.status === "success") props.onDone(result.message);
    return result;
  }, IDLE);
  useEffect(() => {
    if (state.status === "error") formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <section aria-labelledby="change-pin-title" className={styles.block}>
      <h2 id="change-pin-title">Change your PIN</h2>
      <p>Prove the token is in your hands first: your current PIN followed by the code MobilePASS shows now.</p>
      <form ref={formRef} action={submit} noValidate aria-busy={pending}>
        <input type="hidden" name="serial" value={props.serial} />
        <PasscodeField id="current-passcode" label="Current passcode (PIN + one-time password)" error={errors.passcode} required disabled={pending} />
        <PinFields idPrefix="change" lengths={props.pinLengths} errors={errors} names={{ pin: "newPin", confirm: "newPinConfirm" }} labels={{ pin: "New PIN", confirm: "New PIN again" }} disabled={pending} />
        {state.status === "error" && (
          <p className="form-error" role="alert">
            {state.message}
          </p>
        )}
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Changing the PIN…" : "Change PIN"}
        </button>
      </form>
    </section>
  );
}

function ReportLost(props: { serial: string; onStart: () => void; onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const [state, submit, pending] = useActionState(async (prev: ActionState, form: FormData) => {
    props.onStart();
    const result = await reportTokenLost(prev, form);
    if (result.status === "success") {
      setOpen(false);
      props.onDone(result.message);
    }
    return result;
  }, IDLE);
  useEffect(() => {
    if (open) panelRef.current?.focus();
  }, [open]);

  function cancel() {
    setOpen(false);
    triggerRef.current?.focus();
  }
  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape" && !pending) {
      e.preventDefault();
      cancel();
    }
  }

  return (
    <section aria-labelledby="lost-title" className={styles.block}>
      <h2 id="lost-title">Lost your phone or token?</h2>
      <p>Report it lost: it stops working at once, and every other portal session of yours ends.</p>
      <button ref={triggerRef} type="button" className="danger" aria-expanded={open} aria-controls={open ? "lost-confirm" : undefined} onClick={() => setOpen(!open)}>
        Report lost
      </button>
      {open && (
        <div id="lost-confirm" ref={panelRef} role="group" aria-labelledby="lost-question" tabIndex={-1} className="notice" onKeyDown={onKeyDown}>
          <p id="lost-question">Report token {props.serial} lost? It stops working for good; this cannot be undone.</p>
          <form action={submit}>
            <input type="hidden" name="serial" value={props.serial} />
            <div className="button-row">
              <button type="submit" className="danger" disabled={pending} aria-busy={pending}>
                {pending ? "Reporting…" : "Yes, report it lost"}
              </button>
              <button type="button" className="secondary" onClick={cancel} disabled={pending}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      )}
      {state.status === "error" && (
        <p className="form-error" role="alert">
          {state.message}
        </p>
      )}
    </section>
  );
}

/** For a token that waits for activation: reissue and mail again; the new block shows once, as in the wizard. */
function ResendActivation(props: Props & { token: NonNullable<Props["token"]> }) {
  const [issued, setIssued] = useState<ActivationView | null>(null);
  const [reauth, setReauth] = useState(false);
  const [state, submit, pending] = useActionState(async (prev: WizardResult, form: FormData) => {
    const result = await sendNewActivation(prev, form);
    if (result.status === "issued") setIssued(result.activation);
    if (result.status === "error" && result.reauth) setReauth(true);
    return result;
  }, { status: "idle" } as WizardResult);

  if (reauth) return <ReauthNotice callbackUrl="/token" focus />;
  if (issued) {
    return (
      <EnrollmentWizard
        key={issued.serial + issued.manualKey}
        user={props.user}
        settings={props.settings}
        pinLengths={props.pinLengths}
        start={{ step: 2, serial: issued.serial, otpMode: issued.otpMode, activation: issued }}
        returnTo="/token"
        focusOnMount
      />
    );
  }
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <section aria-labelledby="resend-title" className={styles.block}>
      <h2 id="resend-title">Activation</h2>
      <p>
        <Link href="/enroll">Continue the activation</Link> with the key and seed file from your activation email, or have a new
        activation sent: a new seed file and key, the old ones stop working. Enter your OTP PIN again; the portal never keeps it.
      </p>
      <form action={submit} noValidate aria-busy={pending}>
        <input type="hidden" name="serial" value={props.token.serial} />
        <PinFields idPrefix="resend" lengths={props.pinLengths} errors={errors} names={{ pin: "newPin", confirm: "newPinConfirm" }} disabled={pending} />
        {state.status === "error" && (
          <p className="form-error" role="alert">
            {state.message}
          </p>
        )}
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Sending a new activation…" : SEND_NEW_ACTIVATION}
        </button>
      </form>
    </section>
  );
}
