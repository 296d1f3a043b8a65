import type { ReactNode, Ref } from "react";
import { FormField } from "./form-field";

// A PIN + one-time password: masked, a numeric keypad, offered to one-time-code autofill, never pre-filled.
export function PasscodeField(props: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  name?: string;
  required?: boolean;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <FormField id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <input
          {...aria}
          ref={props.inputRef}
          name={props.name ?? "passcode"}
          type="password"
          inputMode="numeric"
          autoComplete="one-time-code"
          required={props.required}
          disabled={props.disabled}
        />
      )}
    </FormField>
  );
}
