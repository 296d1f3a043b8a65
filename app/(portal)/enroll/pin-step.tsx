"use client";

import { useEffect, useRef, type RefObject } from "react";
import { FormField } from "@/app/components/form-field";
import { PinFields } from "@/app/components/pin-fields";
import type { ActivationView, EnrollmentUser } from "@/lib/enroll/status";
import type { PinLengths } from "@/lib/enroll/pin-rules";
import { startEnrollment } from "./actions";
import styles from "./enroll.module.css";
import { useWizardAction } from "./use-wizard-action";
import type { WizardView } from "./wizard-view";

/** Step 1: the OTP PIN twice and the email the activation goes to. */
export function PinStep(props: {
  headingRef: RefObject<HTMLHeadingElement | null>;
  user: EnrollmentUser;
  tokenType: "time" | "event";
  pinLengths: PinLengths;
  lostSerial: string | null;
  onIssued: (activation: ActivationView, message: string) => void;
  onMoved: (view: WizardView, message: string) => void;
  onReauth: () => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, submit, pending] = useWizardAction(startEnrollment, {
    issued: (r) => props.onIssued(r.activation, r.message),
    moved: (r) => props.onMoved(r.view, r.message),
    reauth: props.onReauth,
  });

  useEffect(() => {
    if (state.status === "error") formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const email = state.status === "error" ? (state.values?.email ?? props.user.email) : props.user.email;
  const kind = props.tokenType === "time" ? "time-based (a new code every 30 seconds)" : "event-based (a new code each time you ask)";

  return (
    <section aria-labelledby="step-pin-title">
      <h2 id="step-pin-title" ref={props.headingRef} tabIndex={-1} className={styles.heading}>
        Step 1 of 3: Choose your PIN and email
      </h2>
      {props.lostSerial && <p className="notice">Token {props.lostSerial} was reported lost. Enroll a new token below.</p>}
      <p>
        You get a SafeNet MobilePASS token, {kind}. You sign in with your PIN followed by the code MobilePASS shows. The
        activation email, with the seed file attached, goes to the address below.
      </p>
      <form ref={formRef} action={submit} noValidate aria-busy={pending}>
        <PinFields idPrefix="enroll" lengths={props.pinLengths} errors={errors} disabled={pending} />
        <FormField id="enroll-email" label="Email address" hint="From the company directory; change it if the activation email should go elsewhere." error={errors.email}>
          {(aria) => (
            <input {...aria} key={email} name="email" type="email" autoComplete="email" defaultValue={email} required disabled={pending} />
          )}
        </FormField>
        {state.status === "error" && !state.reauth && (
          <p className="form-error" role="alert">
            {state.message}
          </p>
        )}
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Issuing your token…" : "Issue my token"}
        </button>
      </form>
    </section>
  );
}
