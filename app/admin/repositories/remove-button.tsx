"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { IDLE } from "@/lib/forms/state";
import { removeRepository } from "./actions";
import styles from "./repositories.module.css";

// Remove asks first; the second, explicit danger button carries it out, Escape or Cancel steps back.
export function RemoveRepositoryButton({ name }: { name: string }) {
  const [state, submit, pending] = useActionState(removeRepository, IDLE);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  useEffect(() => {
    if (state.status !== "idle") setConfirming(false);
  }, [state]);

  function cancel() {
    setConfirming(false);
    requestAnimationFrame(() => askRef.current?.focus());
  }

  return (
    <form action={submit} aria-busy={pending} className={styles.remove} onKeyDown={(e) => e.key === "Escape" && confirming && cancel()}>
      <input type="hidden" name="name" value={name} />
      {confirming ? (
        <span key="confirm" className={styles.actions}>
          <span id={`remove-${name}-question`}>Remove {name}? Its users can no longer sign in through it.</span>
          <button ref={confirmRef} type="submit" className="danger" disabled={pending} aria-describedby={`remove-${name}-question`}>
            {pending ? "Removing…" : `Remove ${name}`}
          </button>
          <button type="button" className="secondary" onClick={cancel} disabled={pending}>
            Cancel
          </button>
        </span>
      ) : (
        <button key="ask" ref={askRef} type="button" className="secondary danger" aria-label={`Remove ${name}`} onClick={() => setConfirming(true)}>
          Remove
        </button>
      )}
      <span role="status" aria-live="polite" className={state.status === "error" ? "form-error" : "success"}>
        {state.status === "idle" ? null : state.message}
      </span>
    </form>
  );
}
