import type { InputHTMLAttributes, ReactNode, Ref } from "react";

// A labelled field with its hint and its error next to it, wired with aria-describedby.
export function FormField(props: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  /** Not an error (the form still saves): a caution about the value chosen, announced as it appears. */
  warning?: ReactNode;
  children: (aria: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const warningId = `${props.id}-warning`;
  const describedBy = [hintId, errorId, props.warning ? warningId : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
      {props.children({ id: props.id, "aria-invalid": !!props.error, "aria-describedby": describedBy })}
      {props.error && (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      )}
      {props.warning && (
        <p id={warningId} role="alert" className="notice">
          {props.warning}
        </p>
      )}
    </div>
  );
}

/** A FormField around one input; the input's own attributes go straight to it. */
export function InputField({
  id,
  label,
  hint,
  error,
  ...input
}: { id: string; label: string; hint?: ReactNode; error?: string; ref?: Ref<HTMLInputElement> } & Omit<InputHTMLAttributes<HTMLInputElement>, "id">) {
  return (
    <FormField id={id} label={label} hint={hint} error={error}>
      {(aria) => <input {...aria} {...input} />}
    </FormField>
  );
}

/** The action's overall outcome, announced politely. */
export function FormStatus({ state }: { state: { status: string; message?: string } }) {
  return (
    <div aria-live="polite" role="status" className={state.status === "error" ? "form-error" : "success"}>
      {"message" in state ? state.message : null}
    </div>
  );
}
