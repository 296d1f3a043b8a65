"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { FormField, FormStatus } from "@/app/components/form-field";
import { RemoveButtons } from "@/app/components/remove-buttons";
import { IDLE } from "@/lib/forms/state";
import type { ListKind } from "@/lib/mfa/rules";
import { addExclusion, removeExclusion } from "./actions";
import { CONFIRM_KEY } from "./form-keys";
import styles from "./exclusions.module.css";

export interface ListEntry {
  id: number;
  value: string;
  label: string;
  createdBy: string;
  createdAt: number;
}

export function ExclusionList(props: {
  kind: ListKind;
  title: string;
  addLabel: string;
  hint: string;
  enabled: boolean;
  entries: ListEntry[];
  /** Entries that pass the filter (all of them without one). */
  matching: number;
  total: number;
  filter: string;
}) {
  const { kind, title, entries } = props;
  const [addState, addAction, adding] = useActionState(addExclusion, IDLE);
  const [removeState, removeAction, removing] = useActionState(removeExclusion, IDLE);
  const [confirming, setConfirming] = useState<number | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const titleId = `list-${kind}-title`;

  useEffect(() => {
    if (confirming !== null) confirmRef.current?.focus();
  }, [confirming]);

  // The removed row (and its focused button) is gone: put focus somewhere that still exists.
  useEffect(() => {
    if (removeState.status === "idle") return;
    setConfirming(null);
    headingRef.current?.focus();
  }, [removeState]);

  function cancel(id: number) {
    setConfirming(null);
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLButtonElement>(`[data-remove="${id}"]`)?.focus());
  }


  const values = addState.status === "error" ? (addState.values ?? {}) : {};
  const valueError = addState.status === "error" ? addState.fieldErrors?.value : undefined;
  // After a warning, "Add anyway" confirms exactly the value warned about.
  const confirmValue = addState.status === "error" ? addState.fieldErrors?.[CONFIRM_KEY] : undefined;

  return (
    <section aria-labelledby={titleId} className={styles.card}>
      <h3 id={titleId} ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      {!props.enabled && (
        <p className="notice">This list is switched off: its entries are kept but decide nothing. Switch it on under Default and lists.</p>
      )}
      <form action={addAction} className={styles.addForm}>
        <input type="hidden" name="kind" value={kind} />
        <FormField id={`add-${kind}`} label={props.addLabel} hint={props.hint} error={valueError}>
          {(aria) => <input {...aria} name="value" defaultValue={values.value ?? ""} autoComplete="off" spellCheck={false} />}
        </FormField>
        {confirmValue && (
          <div className="field checkbox-field">
            <input type="checkbox" id={`add-${kind}-anyway`} name="addAnyway" value={confirmValue} />{" "}
            <label htmlFor={`add-${kind}-anyway`}>Add anyway</label>
          </div>
        )}
        <button type="submit" disabled={adding} aria-busy={adding}>
          {adding ? "Adding…" : "Add"}
        </button>
        <FormStatus state={addState} />
      </form>

      {entries.length === 0 ? (
        <p className="muted">{props.filter && props.total ? `No entry in this list contains “${props.filter}”.` : "No entries yet."}</p>
      ) : (
        <form action={removeAction}>
          <ul ref={listRef} className={styles.entries} aria-label={`${title}: entries`}>
            {entries.map((e) => (
              <li key={e.id}>
                <code className={styles.value}>{e.value}</code>
                <span className={styles.meta}>
                  {e.label}, added by {e.createdBy}
                </span>
                <RemoveButtons
                  id={e.id}
                  what={e.value}
                  confirming={confirming === e.id}
                  removing={removing}
                  confirmRef={confirmRef}
                  onAsk={() => setConfirming(e.id)}
                  onCancel={() => cancel(e.id)}
                  className={styles.actions}
                />
              </li>
            ))}
          </ul>
        </form>
      )}
      {props.matching > entries.length && (
        <p className="muted">
          Showing {entries.length} of {props.matching} entries; use Find entries above to narrow the list.
        </p>
      )}
      <FormStatus state={removeState} />
    </section>
  );
}
