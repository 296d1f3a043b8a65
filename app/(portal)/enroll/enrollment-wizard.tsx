"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState, type RefObject } from "react";
import type { ActivationView, EnrollmentUser } from "@/lib/enroll/status";
import type { PinLengths } from "@/lib/enroll/pin-rules";
import { IDLE } from "@/lib/forms/state";
import { ActivateStep } from "./activate-step";
import styles from "./enroll.module.css";
import { PinStep } from "./pin-step";
import { ReauthNotice } from "./reauth-notice";
import { continueAfterActivation } from "./actions";
import { wizardKey, type WizardView } from "./wizard-view";

// New Account Info as the Parallels Client shows it: 1 PIN and email, 2 Activate, 3 Done.
// It takes the user and settings as props, so a page other than /enroll can embed it.

export type { WizardView };

export interface EnrollmentWizardProps {
  user: EnrollmentUser;
  settings: { tokenType: "time" | "event"; splitDelivery: boolean };
  pinLengths: PinLengths;
  /** Where the wizard opens: step 1, step 2 for a token that waits for activation, or step 3. */
  start: WizardView;
  /** A token reported lost before, named on step 1. */
  lostSerial?: string | null;
  /** Where "sign in again" returns to. */
  returnTo?: string;
  /** Move focus to the first step's heading at once, for a wizard that appears in place of a form. */
  focusOnMount?: boolean;
  /** New on every server render of the page: seeing one again means Back or Forward restored an old render. */
  renderId?: string;
}

// The server renders this client has shown; one shown again is a copy kept by the router.
const shownRenders = new Set<string>();

const STEPS = ["PIN and email", "Activate", "Done"] as const;

export function EnrollmentWizard(props: EnrollmentWizardProps) {
  const [view, setView] = useState<WizardView>(props.start);
  const [announcement, setAnnouncement] = useState("");
  const [reauth, setReauth] = useState(false);
  // Bumped on every change of view, so a new activation on step 2 also moves focus.
  const [changes, setChanges] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const router = useRouter();
  const [moved, setMoved] = useState("");
  const focusOnMount = props.focusOnMount ?? false;
  const { renderId } = props;

  // The server's step wins when it changes: a step this wizard already shows keeps what it shows
  // (the one-time activation block), any other replaces it.
  const serverKey = wizardKey(props.start);
  const [lastServerKey, setLastServerKey] = useState(serverKey);
  if (serverKey !== lastServerKey) {
    setLastServerKey(serverKey);
    if (wizardKey(view) !== serverKey) setView(props.start);
  }

  useEffect(() => {
    if (changes > 0 || focusOnMount) headingRef.current?.focus();
  }, [changes, focusOnMount]);

  // Back, Forward and the browser's page cache show a render the router kept, perhaps from an earlier
  // step: ask the server again, and the page gives the wizard the step it holds now.
  useEffect(() => {
    if (!renderId) return;
    if (shownRenders.has(renderId)) router.refresh();
    else shownRenders.add(renderId);
  }, [renderId, router]);
  useEffect(() => {
    const onPageShow = (e: PageTransitionEvent) => e.persisted && router.refresh();
    window.addEventListener("pageshow", onPageShow);
    return () => window.removeEventListener("pageshow", onPageShow);
  }, [router]);

  function show(next: WizardView, message: string, notice = "") {
    setView(next);
    setAnnouncement(message);
    setMoved(notice);
    setChanges((n) => n + 1);
    // The page around the wizard (token state, header links) and the router's copy of it catch up, so
    // Back and Forward find this step; the wizard keeps its own state while the step stays the same.
    router.refresh();
  }

  const onIssued = (activation: ActivationView, message: string) =>
    show({ step: 2, serial: activation.serial, otpMode: activation.otpMode, activation }, message);
  const onActivated = (serial: string, message: string, mailError?: string) => show({ step: 3, serial, fresh: true, mailError }, message);
  const onMoved = (next: WizardView, message: string) => show(next, message, message);
  const onReauth = () => {
    setReauth(true);
    setAnnouncement("For your security, sign in again.");
  };

  return (
    <div>
      <ol className="step-list" aria-label="Enrollment steps">
        {STEPS.map((name, i) => (
          <li key={name} aria-current={view.step === i + 1 ? "step" : undefined} className={view.step > i + 1 ? "done" : undefined}>
            {name}
            {view.step > i + 1 && <span className="visually-hidden"> (completed)</span>}
          </li>
        ))}
      </ol>
      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement}
      </p>
      {moved && <p className="notice">{moved}</p>}

      {reauth ? (
        <ReauthNotice callbackUrl={props.returnTo ?? "/enroll"} focus />
      ) : view.step === 1 ? (
        <PinStep
          headingRef={headingRef}
          user={props.user}
          tokenType={props.settings.tokenType}
          pinLengths={props.pinLengths}
          lostSerial={props.lostSerial ?? null}
          onIssued={onIssued}
          onMoved={onMoved}
          onReauth={onReauth}
        />
      ) : view.step === 2 ? (
        <ActivateStep
          key={view.activation ? `${view.serial}-${changes}` : view.serial}
          headingRef={headingRef}
          user={props.user}
          serial={view.serial}
          otpMode={view.otpMode}
          activation={view.activation}
          split={props.settings.splitDelivery}
          pinLengths={props.pinLengths}
          onIssued={onIssued}
          onActivated={onActivated}
          onMoved={onMoved}
          onReauth={onReauth}
        />
      ) : (
        <DoneStep headingRef={headingRef} view={view} email={props.user.email} />
      )}
    </div>
  );
}

function DoneStep(props: { headingRef: RefObject<HTMLHeadingElement | null>; view: Extract<WizardView, { step: 3 }>; email: string }) {
  const { serial, fresh, mailError } = props.view;
  const [state, proceed] = useActionState(continueAfterActivation, IDLE);
  return (
    <section aria-labelledby="step-done-title">
      <h2 id="step-done-title" ref={props.headingRef} tabIndex={-1} className={styles.heading}>
        Step 3 of 3: Your token is active
      </h2>
      <p className="success">Token {serial} is Active.</p>
      <p>From now on, sign in with your domain password, then your PIN followed by the code MobilePASS shows.</p>
      {fresh && <p>Your other portal sessions have ended; this one carries on.</p>}
      {fresh && (mailError ? <p className="form-error">{mailError}</p> : <p>A confirmation email is on its way to {props.email}.</p>)}
      <form action={proceed}>
        <p>Continue with your PIN and the next code MobilePASS shows to reach My token, where you can change your PIN or report the token lost.</p>
        <button type="submit">Continue</button>
        {state.status === "error" && (
          <p className="form-error" role="alert">
            {state.message}
          </p>
        )}
      </form>
    </section>
  );
}
