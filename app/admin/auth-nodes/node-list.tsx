"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { FormStatus } from "@/app/components/form-field";
import { PasscodeField } from "@/app/components/passcode-field";
import { RemoveButtons } from "@/app/components/remove-buttons";
import { IDLE } from "@/lib/forms/state";
import { formatUtc } from "@/lib/events/format";
import type { AuthNode } from "@/lib/safenet/contract/authnodes";
import { removeAuthNode } from "./actions";
import type { RemoveState } from "./schemas";
import styles from "./auth-nodes.module.css";

// The nodes as SafeNet lists them, each removable after a confirmation (and a recent PIN + OTP).
export function AuthNodeList({ nodes }: { nodes: AuthNode[] }) {
  const [state, action, removing] = useActionState<RemoveState, FormData>(removeAuthNode, IDLE);
  const [confirming, setConfirming] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const stepUpError = state.status === "error" ? state.fieldErrors?.stepUpPasscode : undefined;

  useEffect(() => {
    if (confirming !== null) confirmRef.current?.focus();
  }, [confirming]);

  // A refused step-up keeps the confirmation open on its node; anything else closes it.
  useEffect(() => {
    if (state.status === "idle") return;
    setConfirming(state.status === "error" && "id" in state && state.id ? state.id : null);
  }, [state]);

  function cancel(id: string) {
    setConfirming(null);
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLButtonElement>(`[data-remove="${id}"]`)?.focus());
  }

  return (
    <>
      {nodes.length === 0 ? (
        <p className="muted">No auth nodes: SafeNet answers no RADIUS request. Add the first one below.</p>
      ) : (
        <form action={action}>
          <ul ref={listRef} className={styles.nodes} aria-label="Auth nodes">
            {nodes.map((n) => (
              <li key={n.id}>
                <span className={styles.name}>{n.name}</span>
                <code className={styles.address}>{n.address}</code>
                <span className={styles.meta}>
                  Message-Authenticator {n.requireMessageAuthenticator ? "required" : "not required"}; added {formatUtc(Date.parse(n.createdAt))} UTC
                </span>
                {confirming === n.id ? (
                  <span key="confirm" className={styles.confirm}>
                    <PasscodeField
                      id={`remove-step-up-${n.id}`}
                      name="stepUpPasscode"
                      label={`Your PIN + one-time password to remove ${n.name}`}
                      error={stepUpError}
                      hint="Needed unless you signed in or confirmed in the last five minutes."
                    />
                    <RemoveButtons id={n.id} what={n.name} confirming removing={removing} confirmRef={confirmRef} onAsk={() => {}} onCancel={() => cancel(n.id)} className={styles.actions} />
                  </span>
                ) : (
                  <RemoveButtons id={n.id} what={n.name} confirming={false} removing={removing} confirmRef={confirmRef} onAsk={() => setConfirming(n.id)} onCancel={() => {}} className={styles.actions} />
                )}
              </li>
            ))}
          </ul>
        </form>
      )}
      <FormStatus state={state} />
    </>
  );
}
