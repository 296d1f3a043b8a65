import type { ReactNode, Ref } from "react";
import { InputField } from "./form-field";

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
  const { inputRef, name, ...field } = props;
  return <InputField {...field} ref={inputRef} name={name ?? "passcode"} type="password" inputMode="numeric" autoComplete="one-time-code" />;
}
