// IPv4/IPv6 text forms (RFC 4291 §2.2), canonical output (RFC 5952) and exclusion-rule syntax:
// a single address, a range `a-b`, or a CIDR block `net/n`. Pure; errors are values, never throws.

/** Every parser in lib/net and lib/mfa answers with this: a value, or a sentence saying what to fix. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export type IpVersion = 4 | 6;
export interface IpAddress {
  version: IpVersion;
  value: bigint;
}
export interface IpRule {
  kind: "single" | "range" | "cidr";
  version: IpVersion;
  start: bigint;
  end: bigint;
  normalized: string;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };
/** ::ffff:0:0/96, the IPv4-mapped block. */
export const MAPPED_START = 0xffff_0000_0000n;
export const MAPPED_END = 0xffff_ffff_ffffn;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const OCTET = /^\d{1,3}$/;
const EXAMPLES = "write an IPv4 address like 192.0.2.10 or an IPv6 address like 2001:db8::10";

function parseIpv4(text: string): Result<number> {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) {
    return fail(`"${text}" is not an IPv4 address; write four numbers from 0 to 255 separated by dots, like 192.0.2.10.`);
  }
  let n = 0;
  for (const p of parts) {
    // 010 means 8 to inet_aton but 10 to most people, so refuse rather than guess.
    if (p.length > 1 && p[0] === "0") {
      const fixed = parts.map((q) => String(Number(q))).join(".");
      return fail(`"${text}" has a leading zero in an octet, which some systems read as octal; write ${fixed} if that is what you mean.`);
    }
    const octet = Number(p);
    if (octet > 255) return fail(`"${text}" has the octet ${p}; each IPv4 octet is a number from 0 to 255.`);
    n = n * 256 + octet;
  }
  return ok(n);
}

function parseGroups(pieces: string[], text: string, dottedAllowed: boolean, out: number[]): string | null {
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (dottedAllowed && i === pieces.length - 1 && p.includes(".")) {
      const v4 = parseIpv4(p);
      if (!v4.ok) return `"${text}" ends in an embedded IPv4 address that is not valid: ${v4.error}`;
      out.push(Math.floor(v4.value / 65536), v4.value % 65536);
    } else if (HEX_GROUP.test(p)) {
      out.push(parseInt(p, 16));
    } else {
      const what = p === "" ? "an empty group (a stray colon)" : `the group "${p}"`;
      return `"${text}" has ${what}; an IPv6 address is groups of 1 to 4 hex digits separated by colons, with at most one "::".`;
    }
  }
  return null;
}

function parseIpv6(text: string): Result<bigint> {
  const zone = text.indexOf("%");
  if (zone >= 0) return fail(`"${text}" has a zone id ("${text.slice(zone)}"); zone ids only mean something on one host, so remove it.`);
  const dbl = text.indexOf("::");
  if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) {
    return fail(`"${text}" uses "::" more than once; "::" may stand for one run of zero groups only.`);
  }
  const head: number[] = [];
  const tail: number[] = [];
  if (dbl < 0) {
    const err = parseGroups(text.split(":"), text, true, head);
    if (err) return fail(err);
    if (head.length !== 8) return fail(`"${text}" has ${head.length} groups; a full IPv6 address has 8, or use "::" for a run of zeros.`);
  } else {
    const left = text.slice(0, dbl);
    const right = text.slice(dbl + 2);
    const err = (left && parseGroups(left.split(":"), text, false, head)) || (right && parseGroups(right.split(":"), text, true, tail));
    if (err) return fail(err);
    if (head.length + tail.length > 7) return fail(`"${text}" has too many groups; with "::" an IPv6 address has at most 7 written groups.`);
  }
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return ok(value);
}

/** An IPv4 or IPv6 address in any RFC 4291 text form; zone ids and leading-zero octets are refused. */
export function parseIp(input: string): Result<IpAddress> {
  const text = input.trim();
  if (text === "") return fail(`The address is empty; ${EXAMPLES}.`);
  if (text.startsWith("[")) return fail(`"${text}" is in URL form; remove the square brackets.`);
  if (text.includes(":")) {
    const v6 = parseIpv6(text);
    return v6.ok ? ok({ version: 6, value: v6.value }) : v6;
  }
  if (!/^[\d.]+$/.test(text)) return fail(`"${text}" is not an IP address; ${EXAMPLES}.`);
  const v4 = parseIpv4(text);
  return v4.ok ? ok({ version: 4, value: BigInt(v4.value) }) : v4;
}

/** `::ffff:a.b.c.d` becomes the IPv4 address a.b.c.d; anything else is returned unchanged. */
export function unmapIpv4(ip: IpAddress): IpAddress {
  return ip.version === 6 && ip.value >= MAPPED_START && ip.value <= MAPPED_END ? { version: 4, value: ip.value - MAPPED_START } : ip;
}

function formatIpv4(value: bigint): string {
  const n = Number(value);
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** IPv4 dotted quad, or IPv6 in RFC 5952 canonical form (lower case, longest zero run as "::"). */
export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return formatIpv4(ip.value);
  if (ip.value >= MAPPED_START && ip.value <= MAPPED_END) return `::ffff:${formatIpv4(ip.value - MAPPED_START)}`;
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestAt = -1;
  let bestLen = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(":");
  return `${hex.slice(0, bestAt).join(":")}::${hex.slice(bestAt + bestLen).join(":")}`;
}

function rule(kind: IpRule["kind"], version: IpVersion, start: bigint, end: bigint, prefix?: number): IpRule {
  // A rule wholly inside ::ffff:0:0/96 is an IPv4 rule written the IPv6 way; store it as IPv4.
  if (version === 6 && start >= MAPPED_START && end <= MAPPED_END && (prefix === undefined || prefix >= 96)) {
    return rule(kind, 4, start - MAPPED_START, end - MAPPED_START, prefix === undefined ? undefined : prefix - 96);
  }
  const a = formatIp({ version, value: start });
  const normalized = kind === "single" ? a : kind === "range" ? `${a}-${formatIp({ version, value: end })}` : `${a}/${prefix}`;
  return { kind, version, start, end, normalized };
}

function parseCidr(text: string, slash: number): Result<IpRule> {
  const addr = parseIp(text.slice(0, slash));
  if (!addr.ok) return addr;
  const { version, value } = addr.value;
  const bits = BITS[version];
  const prefixText = text.slice(slash + 1).trim();
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > bits) {
    return fail(`"${text}" has the prefix length "/${prefixText}"; for IPv${version} it is a whole number from 0 to ${bits}.`);
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((value & hostMask) !== 0n) {
    const meant = `${formatIp({ version, value: value & ~hostMask })}/${prefix}`;
    return fail(`${formatIp(addr.value)}/${prefix} has host bits set; did you mean ${meant}?`);
  }
  return ok(rule("cidr", version, value, value | hostMask, prefix));
}

function parseRange(text: string, dash: number): Result<IpRule> {
  if (text.indexOf("-", dash + 1) >= 0) return fail(`"${text}" has more than one dash; write a range as first-last, like 10.0.0.1-10.0.0.99.`);
  const a = parseIp(text.slice(0, dash));
  if (!a.ok) return fail(`The start of the range is not valid: ${a.error}`);
  const b = parseIp(text.slice(dash + 1));
  if (!b.ok) return fail(`The end of the range is not valid: ${b.error}`);
  const [from, to] = [unmapIpv4(a.value), unmapIpv4(b.value)];
  if (from.version !== to.version) return fail(`"${text}" mixes IPv4 and IPv6; both ends of a range must be the same family.`);
  if (from.value > to.value) {
    return fail(`"${text}" starts after it ends; write the lower address first: ${formatIp(b.value)}-${formatIp(a.value)}.`);
  }
  return ok(rule("range", from.version, from.value, to.value));
}

/** An exclusion rule: `a` (single), `a-b` (range, inclusive, same family), or `net/n` (CIDR, no host bits). */
export function parseIpRule(input: string): Result<IpRule> {
  const text = input.trim();
  if (text === "") return fail(`The rule is empty; ${EXAMPLES}, a range like 10.0.0.1-10.0.0.99, or a block like 10.0.0.0/8.`);
  const slash = text.indexOf("/");
  if (slash >= 0) return parseCidr(text, slash);
  const dash = text.indexOf("-");
  if (dash >= 0) return parseRange(text, dash);
  const addr = parseIp(text);
  return addr.ok ? ok(rule("single", addr.value.version, addr.value.value, addr.value.value)) : addr;
}
