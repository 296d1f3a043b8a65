import { pinLengthText, type PinLengths } from "@/lib/enroll/pin-rules";
import { InputField } from "./form-field";

// A new OTP PIN entered twice, with the policy's length as the hint. Never pre-filled.
export function PinFields(props: {
  idPrefix: string;
  /** The policy's lengths; null when SafeNet could not be asked. */
  lengths: PinLengths | null;
  errors: Record<string, string>;
  names?: { pin: string; confirm: string };
  labels?: { pin: string; confirm: string };
  /** Instead of the hint for somebody choosing their own PIN. */
  hint?: string;
  disabled?: boolean;
}) {
  const { lengths } = props;
  const names = props.names ?? { pin: "pin", confirm: "pinConfirm" };
  const labels = props.labels ?? { pin: "OTP PIN", confirm: "OTP PIN again" };
  const hint =
    props.hint ??
    `${lengths ? pinLengthText(lengths) : "4 to 8 digits"}, as the SafeNet policy asks. You type it before every one-time password. Avoid patterns such as 1234, 0000 or 1212.`;
  const input = { type: "password", inputMode: "numeric", autoComplete: "new-password", maxLength: lengths?.max ?? 8, required: true, disabled: props.disabled } as const;
  return (
    <>
      <InputField {...input} id={`${props.idPrefix}-pin`} name={names.pin} label={labels.pin} hint={hint} error={props.errors[names.pin]} />
      <InputField {...input} id={`${props.idPrefix}-pin-confirm`} name={names.confirm} label={labels.confirm} error={props.errors[names.confirm]} />
    </>
  );
}
