"use client";

import { useActionState, useEffect, useState } from "react";
import type { GatewayOption } from "@/lib/connect/connection";
import { decideConnection } from "./actions";
import { ConnectionStep } from "./connection-step";
import { DecisionStep } from "./decision-step";
import { OtpStep } from "./otp-step";
import type { DecideState } from "./schemas";
import styles from "./connect.module.css";

// The Parallels Client's logon as three steps: connection dialog, decision, OTP prompt. Each new
// step gets focus on its heading; earlier answers stay on screen above it.

const IDLE: DecideState = { status: "idle" };
const STEPS = ["Connection", "Decision", "OTP prompt"] as const;
type Step = 1 | 2 | 3;

export interface ConnectFlowProps {
  viewerUpn: string;
  /** Administrators signed in with PIN + OTP test any user; others only themselves. */
  canTestAnyone: boolean;
  gateways: GatewayOption[];
  defaults: { clientIp: string; clientMac: string; gateway: string };
  /** Why the OTP step cannot use RADIUS, or null when it can. */
  radiusUnavailable: string | null;
}

export function ConnectFlow(props: ConnectFlowProps) {
  const [decided, decideAction, deciding] = useActionState(decideConnection, IDLE);
  const [step, setStep] = useState<Step>(1);
  // Bumped on every move, so focus follows even when the same step is shown again.
  const [moves, setMoves] = useState(0);
  const [seen, setSeen] = useState(decided);
  const go = (next: Step) => {
    setStep(next);
    setMoves((n) => n + 1);
  };
  // A new decision opens step 2 (adjusting state while rendering, not in an effect).
  if (seen !== decided) {
    setSeen(decided);
    if (decided.status === "decided") go(2);
  }

  useEffect(() => {
    if (moves > 0) document.getElementById(`connect-step-${step}-title`)?.focus();
  }, [moves, step]);

  const run = decided.status === "decided" ? decided.run : null;
  const values = decided.status === "idle" ? {} : (decided.values ?? {});

  return (
    <>
      <ol className="step-list" aria-label="Logon steps">
        {STEPS.map((name, i) => (
          <li key={name} aria-current={step === i + 1 ? "step" : undefined} className={step > i + 1 ? "done" : undefined}>
            {name}
            {step > i + 1 && <span className="visually-hidden"> (completed)</span>}
          </li>
        ))}
      </ol>
      <p role="status" aria-live="polite" className="visually-hidden">
        {decided.status === "decided" && step === 2 ? decided.message : ""}
      </p>

      {(step === 1 || !run) && (
        <ConnectionStep
          state={decided}
          action={decideAction}
          pending={deciding}
          values={values}
          viewerUpn={props.viewerUpn}
          canTestAnyone={props.canTestAnyone}
          gateways={props.gateways}
          defaults={props.defaults}
        />
      )}
      {run && step >= 2 && <DecisionStep run={run} current={step === 2} onContinue={() => go(3)} onRestart={() => go(1)} />}
      {run && step === 3 && <OtpStep key={run.id} run={run} onRestart={() => go(1)} radiusUnavailable={props.radiusUnavailable} />}
    </>
  );
}
