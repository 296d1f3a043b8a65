import type { ReactNode } from "react";
import styles from "./mfa.module.css";

/** A fieldset of radios with its legend, and its error wired to every radio. */
export function RadioGroup(props: {
  name: string;
  legend: string;
  value: string;
  options: { value: string; label: string; extra?: ReactNode }[];
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
}) {
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  const errorId = props.error ? `${props.name}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={`field ${styles.group}`} aria-describedby={describedBy}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
      {props.options.map((o) => (
        <div key={o.value} className={styles.option}>
          <input
            type="radio"
            id={`${props.name}-${o.value}`}
            name={props.name}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
            aria-invalid={!!props.error}
            aria-describedby={errorId}
          />
          <label htmlFor={`${props.name}-${o.value}`}>{o.label}</label>
          {o.extra}
        </div>
      ))}
      {props.error && (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
