import { DEFAULT_POLICY } from "../safenet/contract/policy-rules";

// Which OTP PINs the portal accepts: the SafeNet policy's length, digits only, and nothing a
// stranger would try first. Pure: the form fields, the PIN inputs and the tests share it.

export interface PinLengths {
  min: number;
  max: number;
}

export const DEFAULT_PIN_LENGTHS: PinLengths = { min: DEFAULT_POLICY.pinMinLength, max: DEFAULT_POLICY.pinMaxLength };

const NEXT_STEP = "Choose digits that follow no pattern.";

// The most used 4-digit PINs that no simpler rule below catches (dates, keypad shapes, slang).
const COMMON_PINS: ReadonlySet<string> = new Set([
  "1004", "2000", "2001", "2002", "6969", "1122", "1100", "2580", "0852", "1369", "1397", "1470", "0741", "3690",
  "0963", "7410", "1478", "8520", "9630", "2468", "1357", "1379", "1998", "1999", "2020", "2021", "2022", "2023",
  "2024", "2025", "2026", "0070", "0007", "1010", "1001", "1984", "4200", "5683", "7777", "1225", "1231",
]);

/** How long a PIN must be, as the hint next to the field says it. */
export function pinLengthText(l: PinLengths): string {
  return l.min === l.max ? `${l.min} digits` : `${l.min} to ${l.max} digits`;
}

function stepsAll(pin: string, step: number): boolean {
  for (let i = 1; i < pin.length; i++) if (Number(pin[i]) - Number(pin[i - 1]) !== step) return false;
  return true;
}

/** A block repeated to fill the PIN (1212, 123123, 4545), the block shorter than the PIN. */
function repeatedBlock(pin: string): string | null {
  for (let size = 2; size <= pin.length / 2; size++) {
    if (pin.length % size !== 0) continue;
    const block = pin.slice(0, size);
    if (block.repeat(pin.length / size) === pin) return block;
  }
  return null;
}

/** The reason `pin` is refused, as a sentence that says what to do instead; null when it is fine. */
export function pinProblem(pin: string, lengths: PinLengths = DEFAULT_PIN_LENGTHS): string | null {
  if (pin.length === 0) return `Enter a PIN of ${pinLengthText(lengths)}.`;
  if (!/^[0-9]+$/.test(pin)) return `The PIN must contain digits only: enter ${pinLengthText(lengths)}.`;
  if (pin.length < lengths.min || pin.length > lengths.max) {
    return `The PIN must be ${pinLengthText(lengths)} long, as the SafeNet policy asks; yours has ${pin.length}.`;
  }
  if (/^(\d)\1+$/.test(pin)) return `A PIN of one digit repeated, such as ${pin}, is the first thing anyone tries. ${NEXT_STEP}`;
  if (stepsAll(pin, 1)) return `A PIN of digits counting up, such as ${pin}, is easy to guess. ${NEXT_STEP}`;
  if (stepsAll(pin, -1)) return `A PIN of digits counting down, such as ${pin}, is easy to guess. ${NEXT_STEP}`;
  const block = repeatedBlock(pin);
  if (block) return `A PIN that repeats ${block}, such as ${pin}, is easy to guess. ${NEXT_STEP}`;
  if (COMMON_PINS.has(pin)) return `${pin} is one of the most common PINs (a date, a keypad line or a favourite), so it is guessed early. ${NEXT_STEP}`;
  return null;
}
