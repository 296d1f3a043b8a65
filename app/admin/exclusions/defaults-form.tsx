"use client";

import { useActionState } from "react";
import { FormStatus } from "@/app/components/form-field";
import { IDLE } from "@/lib/forms/state";
import type { ListKind } from "@/lib/mfa/rules";
import type { ExclusionDefaults } from "@/lib/mfa/settings";
import { saveExclusionDefaultsAction } from "./actions";
import styles from "./exclusions.module.css";

const KINDS: ListKind[] = ["users", "clientIps", "macs", "gateways"];

export function DefaultsForm({ defaults, listNames }: { defaults: ExclusionDefaults; listNames: Record<ListKind, string> }) {
  const [state, action, pending] = useActionState(saveExclusionDefaultsAction, IDLE);
  // After a failed save show what was submitted, not what is stored.
  const kept = state.status === "error" ? state.values : undefined;
  const mode = kept ? kept.defaultMode : defaults.defaultMode;
  const enabled = (k: ListKind) => (kept ? kept[k] === "on" : defaults.enabled[k]);
  const modeError = state.status === "error" ? state.fieldErrors?.defaultMode : undefined;

  return (
    <form action={action} aria-labelledby="defaults-title" className={styles.card}>
      <h2 id="defaults-title">Default and lists</h2>
      <fieldset className={styles.options} aria-describedby={modeError ? "default-mode-error" : undefined}>
        <legend>Default</legend>
        <label>
          <input type="radio" name="defaultMode" value="mfa" defaultChecked={mode === "mfa"} />
          Require MFA for all connections, except those listed below
        </label>
        <label>
          <input type="radio" name="defaultMode" value="none" defaultChecked={mode === "none"} />
          Require MFA for no connection, except those listed below
        </label>
        {modeError && (
          <p id="default-mode-error" className="field-error">
            {modeError}
          </p>
        )}
      </fieldset>
      <fieldset className={styles.options} aria-describedby="lists-hint">
        <legend>Lists in use</legend>
        <p id="lists-hint" className="hint">
          A list switched off keeps its entries but decides nothing until it is switched on again.
        </p>
        {KINDS.map((k) => (
          <label key={k}>
            <input type="checkbox" name={k} defaultChecked={enabled(k)} />
            Use the {listNames[k]} list
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : "Save default and lists"}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
