"use client";

import { useEffect, useRef, useState, type RefObject } from "react";
import { PasscodeField } from "@/app/components/passcode-field";
import { PinFields } from "@/app/components/pin-fields";
import type { ActivationView, EnrollmentUser } from "@/lib/enroll/status";
import type { PinLengths } from "@/lib/enroll/pin-rules";
import { activateEnrollment, sendNewActivation } from "./actions";
import { ActivationDetails } from "./activation-details";
import styles from "./enroll.module.css";
import { useWizardAction } from "./use-wizard-action";
import type { WizardView } from "./wizard-view";

/** Step 2: the one-time activation block (or, when resumed, a pointer to the email) and the first passcode. */
export function ActivateStep(props: {
  headingRef: RefObject<HTMLHeadingElement | null>;
  user: EnrollmentUser;
  serial: string;
  otpMode: "time" | "event";
  activation: ActivationView | null;
  split: boolean;
  pinLengths: PinLengths;
  onIssued: (activation: ActivationView, message: string) => void;
  onActivated: (serial: string, message: string, mailError?: string) => void;
  onMoved: (view: WizardView, message: string) => void;
  onReauth: () => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, submit, pending] = useWizardAction(activateEnrollment, {
    activated: (r) => props.onActivated(r.serial, r.message, r.mailError),
    moved: (r) => props.onMoved(r.view, r.message),
    reauth: props.onReauth,
  });

  useEffect(() => {
    if (state.status === "error") formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  const error = state.status === "error" && !state.reauth ? state : null;
  const app = props.otpMode === "time" ? "the code MobilePASS or your authenticator app shows now" : "a new code from MobilePASS or your authenticator app";

  return (
    <section aria-labelledby="step-activate-title">
      <h2 id="step-activate-title" ref={props.headingRef} tabIndex={-1} className={styles.heading}>
        Step 2 of 3: Activate your token
      </h2>
      <p>
        Token <strong data-testid="token-serial">{props.serial}</strong> is assigned to you. It stays Assigned, and cannot be
        used to sign in, until you enter a right passcode below.
      </p>
      {props.activation ? (
        <ActivationDetails activation={props.activation} split={props.split} />
      ) : (
        <p className="notice">
          Your activation email to {props.user.email} has the activation key and the seed file. For your security the QR code
          and seed file were shown only once, when the token was issued. Lost them? Send a new activation below.
        </p>
      )}

      <form ref={formRef} action={submit} noValidate aria-busy={pending} className={styles.activation}>
        <h3>Activate</h3>
        <input type="hidden" name="serial" value={props.serial} />
        <PasscodeField
          id="activate-passcode"
          label="Passcode (PIN + one-time password)"
          hint={`Your OTP PIN followed by ${app}, digits only: for PIN 4089 and code 123456, type 4089123456.`}
          error={error?.fieldErrors?.passcode}
          required
          disabled={pending}
        />
        {error && !error.fieldErrors?.passcode && (
          <p className="form-error" role="alert">
            {error.message}
          </p>
        )}
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Checking the passcode…" : "Activate token"}
        </button>
      </form>

      <NewActivation serial={props.serial} pinLengths={props.pinLengths} onIssued={props.onIssued} onMoved={props.onMoved} onReauth={props.onReauth} />
    </section>
  );
}

/** Reissue behind a disclosure: the PIN is asked again, since the portal never knows it. */
function NewActivation(props: {
  serial: string;
  pinLengths: PinLengths;
  onIssued: (activation: ActivationView, message: string) => void;
  onMoved: (view: WizardView, message: string) => void;
  onReauth: () => void;
}) {
  const [open, setOpen] = useState(false);
  const panelRef = useRef<HTMLFormElement>(null);
  const [state, submit, pending] = useWizardAction(sendNewActivation, {
    issued: (r) => props.onIssued(r.activation, r.message),
    moved: (r) => props.onMoved(r.view, r.message),
    reauth: props.onReauth,
  });

  useEffect(() => {
    if (open) panelRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], input:not([type="hidden"])')?.focus();
  }, [open, state]);

  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <div className={styles.activation}>
      <button type="button" className="secondary" aria-expanded={open} aria-controls="new-activation" onClick={() => setOpen(!open)}>
        Send a new activation
      </button>
      {open && (
        <form id="new-activation" ref={panelRef} action={submit} noValidate aria-busy={pending} aria-labelledby="new-activation-title">
          <h3 id="new-activation-title">New activation</h3>
          <p>
            SafeNet issues a new seed file and activation key, and the old ones stop working. Enter your OTP PIN again (a new one
            if you like): the portal never keeps it.
          </p>
          <input type="hidden" name="serial" value={props.serial} />
          <PinFields idPrefix="reissue" lengths={props.pinLengths} errors={errors} names={{ pin: "newPin", confirm: "newPinConfirm" }} disabled={pending} />
          {state.status === "error" && !state.reauth && (
            <p className="form-error" role="alert">
              {state.message}
            </p>
          )}
          <button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? "Issuing a new activation…" : "Issue and email the new activation"}
          </button>
        </form>
      )}
    </div>
  );
}
