"use client";

import { startTransition, useActionState, useRef, useState, useTransition, type FormEvent } from "react";
import { FormStatus, InputField } from "@/app/components/form-field";
import { PasscodeField } from "@/app/components/passcode-field";
import { IDLE, type ActionState } from "@/lib/forms/state";
import type { Repository } from "@/lib/safenet/contract";
import { DEFAULT_LDAP_ATTRIBUTES } from "@/lib/safenet/contract/limits";
import { addRepository, editRepository, testRepositoryConnection } from "./actions";
import styles from "./repositories.module.css";
import { ATTRIBUTE_FIELDS } from "./fields";
import type { TestState } from "./schemas";
import { TestResult } from "./test-result";

type Field = "name" | "url" | "bindDn" | "baseDn" | "userFilter" | (typeof ATTRIBUTE_FIELDS)[keyof typeof ATTRIBUTE_FIELDS];

const ATTRIBUTE_LABELS = { upn: "User name (UPN) attribute", displayName: "Display name attribute", email: "Email attribute", groups: "Groups attribute" } as const;

function initialValues(saved?: Repository): Record<Field, string> {
  const attributes = { ...DEFAULT_LDAP_ATTRIBUTES, ...saved?.attributes };
  return {
    name: saved?.name ?? "",
    url: saved?.url ?? "",
    bindDn: saved?.bindDn ?? "",
    baseDn: saved?.baseDn ?? "",
    userFilter: saved?.userFilter ?? "",
    [ATTRIBUTE_FIELDS.upn]: attributes.upn,
    [ATTRIBUTE_FIELDS.displayName]: attributes.displayName,
    [ATTRIBUTE_FIELDS.email]: attributes.email,
    [ATTRIBUTE_FIELDS.groups]: attributes.groups,
  } as Record<Field, string>;
}

/** Add (no `saved`) or edit an LDAP repository; Test connection tries the form as typed without saving. */
export function RepositoryForm(props: { mode: "add" | "edit"; saved?: Repository }) {
  const editing = props.mode === "edit";
  const [values, setValues] = useState(() => initialValues(props.saved));
  // A new key after every answer empties the bind password and passcode fields: neither is ever kept.
  const [secretKey, setSecretKey] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const [testing, startTest] = useTransition();
  const [test, setTest] = useState<TestState>({ status: "idle" });

  const [state, formAction, saving] = useActionState(async (prev: ActionState, form: FormData) => {
    const next = await (editing ? editRepository : addRepository)(prev, form);
    setSecretKey((k) => k + 1);
    setValues((v) => ({ ...(next.status === "success" && !editing ? initialValues() : v), ...(next.status === "error" && next.values) }));
    if (next.status === "success") setTest({ status: "idle" });
    return next;
  }, IDLE);

  const set = (field: Field, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const errors = { ...(test.status === "error" ? test.fieldErrors : {}), ...(state.status === "error" ? state.fieldErrors : {}) };

  // Submitted by hand rather than through the form's action: React resets a form after its action,
  // which could put back a value typed while the answer was on its way.
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (saving) return;
    const form = new FormData(e.currentTarget);
    // The save's answer is the newest word on these fields: a test's refusal of older values goes.
    setTest({ status: "idle" });
    startTransition(() => formAction(form));
  }

  function runTest() {
    if (testing || !formRef.current) return;
    const form = new FormData(formRef.current);
    startTest(async () => {
      const answer = await testRepositoryConnection(IDLE as TestState, form).catch(
        (): TestState => ({ status: "error", message: "The portal could not run the test. Reload the page and try again." }),
      );
      setTest(answer);
    });
  }

  const urlHint = editing
    ? "ldap://host:port or ldaps://host:port. A changed URL needs the bind password again: the saved one goes only to this server."
    : "ldap://host:port or ldaps://host:port, as SafeNet reaches the directory.";
  const field = (id: Field, label: string, extra: { hint?: string; type?: string; autoComplete?: string } = {}) => (
    <InputField
      id={`${props.mode}-${id}`}
      name={id}
      label={label}
      hint={extra.hint}
      error={errors[id]}
      type={extra.type ?? "text"}
      autoComplete={extra.autoComplete ?? "off"}
      spellCheck={false}
      value={values[id]}
      onChange={(e) => set(id, e.target.value)}
    />
  );

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-busy={saving} className={styles.form}>
      <input type="hidden" name="mode" value={props.mode} />
      {editing ? <input type="hidden" name="name" value={values.name} /> : field("name", "Name", { hint: "How the MFA page's User Repository list names it, for example example.com." })}
      {field("url", "URL", { hint: urlHint, type: "url" })}
      {field("bindDn", "Bind DN", { hint: "The account SafeNet reads the directory with, for example cn=reader,dc=example,dc=com." })}
      <InputField
        key={`password-${secretKey}`}
        id={`${props.mode}-bindPassword`}
        name="bindPassword"
        label="Bind password"
        hint={editing ? "Leave empty to keep the saved password, unless you change the URL. It is never shown again." : "Sent to SafeNet and sealed there; it is never shown again."}
        error={errors.bindPassword}
        type="password"
        autoComplete="new-password"
      />
      {field("baseDn", "Base DN", { hint: "Where the users are, for example ou=people,dc=example,dc=com." })}
      {field("userFilter", "User filter (optional)", { hint: "An LDAP filter the users must match, for example (objectClass=person). Empty: every entry with the UPN attribute." })}
      <details className={styles.attributes} open={Object.values(ATTRIBUTE_FIELDS).some((f) => errors[f]) || undefined}>
        <summary>Attributes</summary>
        <p className="hint">Which attributes hold each piece of a user. Active Directory&apos;s names are filled in; change them for other directories.</p>
        {(Object.keys(ATTRIBUTE_FIELDS) as (keyof typeof ATTRIBUTE_FIELDS)[]).map((key) => (
          <div key={key}>{field(ATTRIBUTE_FIELDS[key], ATTRIBUTE_LABELS[key])}</div>
        ))}
      </details>

      <div className={styles.test}>
        <button type="button" className="secondary" onClick={runTest} aria-disabled={testing} aria-describedby={`${props.mode}-test-status`}>
          {testing ? "Testing…" : "Test connection"}
        </button>
        <TestResult id={`${props.mode}-test-status`} testing={testing} state={test} />
      </div>

      <PasscodeField
        key={`passcode-${secretKey}`}
        id={`${props.mode}-stepUpPasscode`}
        name="stepUpPasscode"
        label="Your PIN + one-time password"
        error={errors.stepUpPasscode}
        hint="Needed unless you entered them in the last five minutes: the repository decides who can sign in. Checked by the OTP service saved now."
      />
      <div className={styles.submit}>
        <button type="submit" aria-disabled={saving}>
          {saving ? "Saving…" : editing ? `Save ${values.name}` : "Add repository"}
        </button>
        <FormStatus state={saving ? { status: "idle", message: "Saving the repository…" } : state} />
      </div>
    </form>
  );
}
