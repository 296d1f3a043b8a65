"use client";

import { useActionState, useEffect, useRef } from "react";
import { FormField, FormStatus } from "@/app/components/form-field";
import { IDLE } from "@/lib/forms/state";
import type { Policy } from "@/lib/safenet/contract";
import { savePolicy } from "./actions";
import { formName, POLICY_FIELDS, POLICY_GROUPS, policyValues, type PolicyField } from "./policy-fields";

export function PolicyForm({ policy }: { policy: Policy }) {
  const [state, formAction, pending] = useActionState(savePolicy, IDLE);
  const formRef = useRef<HTMLFormElement>(null);
  const values: Record<string, string> = state.status === "error" && state.values ? state.values : policyValues(policy);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (state.status === "error") formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  return (
    <form ref={formRef} action={formAction} noValidate>
      {POLICY_GROUPS.map((g) => (
        <fieldset key={g.legend}>
          <legend>{g.legend}</legend>
          {g.fields.map((f) => (
            <PolicyInput key={f} field={f} value={values[formName(f)] ?? ""} error={errors[formName(f)]} />
          ))}
        </fieldset>
      ))}
      <FormStatus state={state} />
      <p>
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving policy…" : "Save policy"}
        </button>
      </p>
    </form>
  );
}

function PolicyInput({ field, value, error }: { field: PolicyField; value: string; error?: string }) {
  const spec = POLICY_FIELDS[field];
  return (
    <FormField id={field} label={spec.label} hint={spec.hint} error={error}>
      {(aria) =>
        spec.kind === "minutes" ? (
          <input {...aria} name={spec.name} type="text" inputMode="decimal" autoComplete="off" defaultValue={value} />
        ) : spec.kind === "number" ? (
          <input {...aria} name={field} type="number" inputMode="numeric" min={spec.min} max={spec.max} step={1} defaultValue={value} />
        ) : (
          <select {...aria} name={field} defaultValue={value}>
            {spec.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )
      }
    </FormField>
  );
}
