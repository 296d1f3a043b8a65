"use client";

import { useActionState, useState } from "react";
import { FormField, FormStatus, InputField } from "@/app/components/form-field";
import { PasscodeField } from "@/app/components/passcode-field";
import { IDLE } from "@/lib/forms/state";
import { addAuthNode } from "./actions";
import { SECRET_HINT } from "./hints";
import type { AddState } from "./schemas";
import styles from "./auth-nodes.module.css";

// The add form; after an add, the node's secret, this once, with a copy button.
export function AddAuthNodeForm() {
  const [state, action, adding] = useActionState<AddState, FormData>(addAuthNode, IDLE);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  // A failed form shows the checkbox as it was sent; a fresh one starts ticked (the BlastRADIUS mitigation).
  const requireMa = state.status === "error" && state.values ? state.values.requireMessageAuthenticator === "on" : true;

  return (
    <>
      {state.status === "added" && <SecretOnce name={state.name} address={state.address} secret={state.secret} />}
      {/* A new key after each answer: the fields start empty again, and the passcode is never kept. */}
      <form action={action} className={styles.addForm} key={state.status === "added" ? state.secret : "form"}>
        <InputField id="node-name" name="name" label="Name" error={errors.name} defaultValue={values.name ?? ""} autoComplete="off" spellCheck={false} />
        <InputField
          id="node-address"
          name="address"
          label="Address"
          hint="The node's IP address (192.0.2.10, 2001:db8::10) or network (192.0.2.0/24): the address its requests come from."
          error={errors.address}
          defaultValue={values.address ?? ""}
          autoComplete="off"
          spellCheck={false}
        />
        <FormField id="node-secret" label="Shared secret (optional)" hint={SECRET_HINT} error={errors.secret}>
          {(aria) => <input {...aria} name="secret" type="password" autoComplete="new-password" spellCheck={false} />}
        </FormField>
        <div className="field checkbox-field">
          <input type="checkbox" id="node-ma" name="requireMessageAuthenticator" defaultChecked={requireMa} aria-describedby="node-ma-hint" />{" "}
          <label htmlFor="node-ma">Message-Authenticator required</label>
          <p id="node-ma-hint" className="hint">
            Keep this on unless the node cannot send a Message-Authenticator (RFC 3579): it protects against forged answers
            (BlastRADIUS).
          </p>
        </div>
        <PasscodeField
          id="add-step-up"
          name="stepUpPasscode"
          label="Your PIN + one-time password"
          error={errors.stepUpPasscode}
          hint="Needed unless you signed in or confirmed in the last five minutes: a node decides who may ask SafeNet."
        />
        <button type="submit" disabled={adding} aria-busy={adding}>
          {adding ? "Adding…" : "Add node"}
        </button>
        {state.status !== "added" && <FormStatus state={state} />}
      </form>
    </>
  );
}

function SecretOnce(props: { name: string; address: string; secret: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <section aria-labelledby="secret-once-title" className={styles.secretOnce}>
      <h3 id="secret-once-title">Shared secret of {props.name}</h3>
      <p role="status">
        Added the auth node {props.name} for {props.address}. Copy its secret into the node now: it will not be shown again.
      </p>
      <p>
        <code className={styles.secret} aria-label={`Shared secret of ${props.name}`}>
          {props.secret}
        </code>
      </p>
      <button type="button" className="secondary" onClick={() => void copy()}>
        Copy the secret
      </button>
      <span aria-live="polite" className={styles.copied}>
        {copied === "copied" ? "Copied." : copied === "failed" ? "Could not copy: select the secret and copy it by hand." : ""}
      </span>
    </section>
  );
}
