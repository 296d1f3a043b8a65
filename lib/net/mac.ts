import type { Result } from "./ip";

// MAC addresses in the common notations (IEEE dashes, colons, Cisco dotted, bare hex, any case),
// shown as 00-14-22-01-23-45. Rules may use ?? for a whole wild byte.

export interface MacAddress {
  normalized: string;
  bytes: number[];
  /** The 48 bits as one number (fits exactly in a double). */
  value: number;
}
export interface MacRule {
  normalized: string;
  /** null where the rule has a ?? wildcard byte. */
  bytes: (number | null)[];
  /** Bit i (from the left, 0–5) set when byte i is fixed; 0b111111 for an exact address. */
  mask: number;
  /** The fixed bytes as a 48-bit number, wild bytes counted as 0. */
  value: number;
}

const fail = <T>(error: string): Result<T> => ({ ok: false, error });
const FORMS = "write six bytes like 00-14-22-01-23-45, 00:14:22:01:23:45, 0014.2201.2345 or 001422012345";
const HEX_BYTE = /^[0-9A-F]{1,2}$/;

function splitBytes(text: string, shown: string): string[] | string {
  const hasColon = text.includes(":");
  const hasDash = text.includes("-");
  if (hasColon && hasDash) return `"${shown}" mixes colons and dashes; use one separator throughout.`;
  if (hasColon || hasDash) {
    const parts = text.split(hasColon ? ":" : "-");
    return parts.length === 6 ? parts : `"${shown}" has ${parts.length} bytes; ${FORMS}.`;
  }
  if (text.includes(".")) {
    const groups = text.split(".");
    if (groups.length !== 3 || groups.some((g) => g.length !== 4)) return `"${shown}" is not in Cisco form (three groups of four hex digits); ${FORMS}.`;
    return groups.flatMap((g) => [g.slice(0, 2), g.slice(2)]);
  }
  if (text.length !== 12) return `"${shown}" is not a MAC address; ${FORMS}.`;
  return [0, 2, 4, 6, 8, 10].map((i) => text.slice(i, i + 2));
}

function parse(input: string, wildcards: boolean): Result<MacRule> {
  const shown = input.trim();
  const text = shown.toUpperCase();
  if (text === "") return fail(`The MAC address is empty; ${FORMS}.`);
  const parts = splitBytes(text, shown);
  if (typeof parts === "string") return fail(parts);
  const bytes: (number | null)[] = [];
  let mask = 0;
  let value = 0;
  for (const p of parts) {
    mask *= 2;
    value *= 256;
    if (p.includes("?")) {
      if (!wildcards) return fail(`"${shown}" has a wildcard; a client MAC address is a real address with six hex bytes.`);
      if (p !== "??") return fail(`"${shown}" has the partly wild byte "${p}"; a wildcard stands for a whole byte, so write ?? or the exact byte.`);
      bytes.push(null);
    } else if (HEX_BYTE.test(p)) {
      const b = parseInt(p, 16);
      bytes.push(b);
      mask += 1;
      value += b;
    } else {
      return fail(`"${shown}" has the byte "${p}"; each byte is two hex digits (0-9, A-F).`);
    }
  }
  if (mask === 0) return fail(`"${shown}" is all wildcards and would match every device; name at least one byte, or switch the MAC list off.`);
  const normalized = bytes.map((b) => (b === null ? "??" : b.toString(16).toUpperCase().padStart(2, "0"))).join("-");
  return { ok: true, value: { normalized, bytes, mask, value } };
}

/** A client's MAC address (no wildcards), normalised to 00-14-22-01-23-45. */
export function parseMac(input: string): Result<MacAddress> {
  const r = parse(input, false);
  return r.ok ? { ok: true, value: { normalized: r.value.normalized, bytes: r.value.bytes as number[], value: r.value.value } } : r;
}

/** An exclusion rule: a MAC address in any common notation, whole bytes may be ??. */
export function parseMacRule(input: string): Result<MacRule> {
  return parse(input, true);
}

/** The client's value with only the bytes that `mask` fixes, to compare with MacRule.value. */
export function maskMac(bytes: number[], mask: number): number {
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 256 + ((mask >> (5 - i)) & 1 ? bytes[i] : 0);
  return value;
}
