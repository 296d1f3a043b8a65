"use client";

import { useState, useTransition } from "react";
import type { ActionFailure } from "@/lib/forms/state";
import type { CheckResult } from "@/lib/server/safenet/check-connection";
import styles from "./mfa.module.css";

export type CheckAnswer = CheckResult | ActionFailure;

// A check the portal could not run at all reads like a refused connection, with the portal's sentence.
const asCheck = (answer: CheckAnswer): CheckResult => ("status" in answer ? { ok: false, kind: "refused", message: answer.message } : answer);

/** A check of the URL as typed (not as saved), with progress and the outcome in a live region. */
export function CheckButton(props: { id: string; label: string; name: string; url: string; run: (url: string) => Promise<CheckAnswer> }) {
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<{ url: string; result: CheckResult } | null>(null);
  // An outcome belongs to the URL it checked; editing the URL clears it.
  const shown = outcome && outcome.url === props.url ? outcome.result : null;
  const statusId = `${props.id}-status`;

  function check() {
    if (pending) return;
    const url = props.url;
    startTransition(async () => {
      const result = await props
        .run(url)
        .then(asCheck, (): CheckResult => ({ ok: false, kind: "refused", message: "The portal could not run the check. Reload the page and try again." }));
      setOutcome({ url, result });
    });
  }

  return (
    <div className={styles.check}>
      <button
        type="button"
        id={props.id}
        className="secondary"
        aria-label={props.name}
        aria-describedby={statusId}
        aria-disabled={pending}
        aria-busy={pending}
        onClick={check}
      >
        {pending ? "Checking…" : props.label}
      </button>
      <p id={statusId} role="status" aria-live="polite" className={shown && !pending ? (shown.ok ? "success" : "form-error") : styles.progress}>
        {pending
          ? `Checking ${props.url.trim() || "the URL"}…`
          : shown &&
            (shown.ok
              ? shown.keySent === false
                ? `Reachable and answers as the TMS Web API (in ${shown.ms} ms); the API key is only sent to the saved URL — save it to check the key.`
                : `Connected to ${shown.service} version ${shown.version}: it answered in ${shown.ms} ms.`
              : `Check failed: ${shown.message}`)}
      </p>
    </div>
  );
}
