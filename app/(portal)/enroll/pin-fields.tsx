import { FormField } from "@/app/components/form-field";
import { pinLengthText, type PinLengths } from "@/lib/enroll/pin-rules";

// A new OTP PIN entered twice, with the policy's length as the hint. Never pre-filled.
export function PinFields(props: {
  idPrefix: string;
  lengths: PinLengths;
  errors: Record<string, string>;
  names?: { pin: string; confirm: string };
  labels?: { pin: string; confirm: string };
  disabled?: boolean;
}) {
  const names = props.names ?? { pin: "pin", confirm: "pinConfirm" };
  const labels = props.labels ?? { pin: "OTP PIN", confirm: "OTP PIN again" };
  const hint = `${pinLengthText(props.lengths)}, as the SafeNet policy asks. You type it before every one-time password. Avoid patterns such as 1234, 0000 or 1212.`;
  const input = (name: string) =>
    function PinInput(aria: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) {
      return (
        <input
          {...aria}
          name={name}
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={props.lengths.max}
          required
          disabled={props.disabled}
        />
      );
    };
  return (
    <>
      <FormField id={`${props.idPrefix}-pin`} label={labels.pin} hint={hint} error={props.errors[names.pin]}>
        {input(names.pin)}
      </FormField>
      <FormField id={`${props.idPrefix}-pin-confirm`} label={labels.confirm} error={props.errors[names.confirm]}>
        {input(names.confirm)}
      </FormField>
    </>
  );
}
