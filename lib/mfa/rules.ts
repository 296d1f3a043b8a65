import { formatIp, parseIp, parseIpRule, unmapIpv4, type Result } from "../net/ip";
import { maskMac, parseMac, parseMacRule } from "../net/mac";

// Exclusion lists: normalising what an administrator types, and compiling the stored entries into
// lookups that answer in O(log n) with 10 000 rules.

export type ListKind = "users" | "clientIps" | "macs" | "gateways";
/** The order in which lists are checked; the first match wins. */
export const LIST_KINDS: readonly ListKind[] = ["users", "clientIps", "macs", "gateways"];
export interface RuleEntry {
  id: number;
  kind: ListKind;
  /** As stored, i.e. normalized. */
  value: string;
}
export interface ExclusionSettings {
  defaultMode: "mfa" | "none";
  enabled: Record<ListKind, boolean>;
}
export interface RuleUser {
  upn: string;
  groups: string[];
}
export interface RuleConnection {
  clientIp?: string;
  clientMac?: string;
  gateway?: string;
}
export interface CompiledRules {
  /** The first matching rule of an enabled list, lists in LIST_KINDS order. */
  match(user: RuleUser, conn: RuleConnection): RuleEntry | null;
  /** The first matching rule of one list, whether or not that list is enabled. */
  matchList(kind: ListKind, user: RuleUser, conn: RuleConnection): RuleEntry | null;
  /** matchList plus one sentence for a trace saying why it matched or why nothing did. */
  checkList(kind: ListKind, user: RuleUser, conn: RuleConnection): { entry: RuleEntry | null; detail: string };
}

export const MAX_ENTRY_LENGTH = 256;
export const LIST_NAMES: Record<ListKind, string> = { users: "users and groups", clientIps: "client IP", macs: "client MAC", gateways: "gateway" };

/** NetBIOS domain name (as in CORP\alice) → the DNS domain of its users' UPNs (corp.local). */
export type DomainNames = Readonly<Record<string, string>>;

type UserRule = { type: "upn" | "logon" | "group"; key: string };

/**
 * How a stored users-list value is matched: UPN (has @), DOMAIN\name (logon name), else a group.
 * A logon name is keyed as the UPN it stands for; its domain is a NetBIOS name from `domains` or
 * a DNS name. A domain neither names gets key null: that rule matches nobody.
 */
export function classifyUser(value: string, domains: DomainNames): { type: UserRule["type"]; key: string | null } {
  if (value.includes("@")) return { type: "upn", key: value.toLowerCase() };
  const slash = value.indexOf("\\");
  if (slash >= 0) {
    const domain = value.slice(0, slash).trim();
    const dns = domainOf(domain, domains);
    return { type: "logon", key: dns ? `${value.slice(slash + 1).trim().toLowerCase()}@${dns}` : null };
  }
  return { type: "group", key: value.toLowerCase() };
}

function domainOf(domain: string, domains: DomainNames): string | null {
  const upper = domain.toUpperCase();
  for (const [netbios, dns] of Object.entries(domains)) if (netbios.toUpperCase() === upper) return dns.toLowerCase();
  return domain.includes(".") ? domain.toLowerCase() : null;
}

function normalizeUser(text: string): Result<{ value: string; label: string }> {
  if (text.includes("@")) {
    if (!/^[^\s@\\]+@[^\s@\\]+$/.test(text)) return { ok: false, error: `"${text}" is not a user principal name; write it like alice@corp.example, with one @ and no spaces.` };
    const value = text.toLowerCase();
    return { ok: true, value: { value, label: `user ${value}` } };
  }
  if (text.includes("\\")) {
    const [domain, name, ...rest] = text.split("\\");
    if (rest.length || !domain.trim() || !name.trim()) return { ok: false, error: `"${text}" is not a logon name; write it as DOMAIN\\name, like CORP\\alice.` };
    const value = `${domain.trim().toUpperCase()}\\${name.trim()}`;
    return { ok: true, value: { value, label: `user ${value}` } };
  }
  return { ok: true, value: { value: text, label: `group ${text}` } };
}

/** What an administrator typed → the stored value and a label to show, or a sentence saying what to fix. */
export function normalizeEntry(kind: ListKind, input: string): Result<{ value: string; label: string }> {
  const text = input.trim();
  if (text === "") return { ok: false, error: `The ${LIST_NAMES[kind]} entry is empty; type a value before adding it.` };
  if (text.length > MAX_ENTRY_LENGTH) return { ok: false, error: `The entry is ${text.length} characters long; keep it to ${MAX_ENTRY_LENGTH} or fewer.` };
  if (kind === "users") return normalizeUser(text);
  if (kind === "macs") {
    const mac = parseMacRule(text);
    if (!mac.ok) return mac;
    const label = mac.value.mask === 0b111111 ? `MAC ${mac.value.normalized}` : `MAC pattern ${mac.value.normalized}`;
    return { ok: true, value: { value: mac.value.normalized, label } };
  }
  const ip = parseIpRule(text);
  if (!ip.ok) return ip;
  const what = { single: "address", range: "range", cidr: "network" }[ip.value.kind];
  const prefix = kind === "gateways" ? "gateway " : "";
  return { ok: true, value: { value: ip.value.normalized, label: `${prefix}IPv${ip.value.version} ${what} ${ip.value.normalized}` } };
}

/**
 * Whether `value` (as typed, or stored) is already in the list. This compares normalized text only:
 * 10.0.0.0/8 and 10.0.0.0-10.255.255.255 cover the same addresses but are not duplicates.
 * Users-list entries are compared without case, since they also match without case.
 */
export function isDuplicate(kind: ListKind, value: string, existing: RuleEntry[]): boolean {
  const n = normalizeEntry(kind, value);
  const fold = (s: string) => (kind === "users" ? s.toLowerCase() : s);
  const target = fold(n.ok ? n.value.value : value.trim());
  return existing.some((e) => e.kind === kind && fold(e.value) === target);
}

/** Whether the MAC rule `outer` matches every address the MAC rule `inner` matches. */
function macCovers(outer: { bytes: (number | null)[] }, inner: { bytes: (number | null)[] }): boolean {
  return outer.bytes.every((b, i) => b === null || b === inner.bytes[i]);
}

/**
 * The existing entry of the same list that already matches everything `value` would (an address in
 * a listed range or network, a MAC matched by a ?? pattern, a DOMAIN\name and the UPN it stands for),
 * or null. Exact duplicates are isDuplicate's business; group membership needs the directory.
 */
export function coveringEntry(kind: ListKind, value: string, existing: RuleEntry[], domains: DomainNames = {}): RuleEntry | null {
  const same = existing.filter((e) => e.kind === kind);
  if (kind === "users") {
    const key = classifyUser(value.trim(), domains);
    if (key.type === "group" || key.key === null) return null;
    return same.find((e) => {
      const other = classifyUser(e.value.trim(), domains);
      return other.type !== "group" && other.key === key.key;
    }) ?? null;
  }
  if (kind === "macs") {
    const mac = parseMacRule(value);
    if (!mac.ok) return null;
    return same.find((e) => {
      const other = parseMacRule(e.value);
      return other.ok && other.value.normalized !== mac.value.normalized && macCovers(other.value, mac.value);
    }) ?? null;
  }
  const ip = parseIpRule(value);
  if (!ip.ok) return null;
  return same.find((e) => {
    const other = parseIpRule(e.value);
    return (
      other.ok &&
      other.value.normalized !== ip.value.normalized &&
      other.value.version === ip.value.version &&
      other.value.start <= ip.value.start &&
      other.value.end >= ip.value.end
    );
  }) ?? null;
}

/** The user-list keys a directory user is matched by: their UPN and each of their groups. */
export function userListMatch(user: RuleUser, existing: RuleEntry[], domains: DomainNames = {}): RuleEntry | null {
  const groups = new Set(user.groups.map((g) => g.toLowerCase()));
  return existing.find((e) => {
    if (e.kind !== "users") return false;
    const rule = classifyUser(e.value.trim(), domains);
    return rule.type === "group" ? groups.has(rule.key!) : rule.key === user.upn.toLowerCase();
  }) ?? null;
}

/** Disjoint segments of the address line, each owned by the earliest rule covering it (-1: none). */
interface Segments {
  starts: bigint[];
  owners: number[];
}

// Overlapping rules are flattened so one binary search finds the earliest covering rule, not just any.
function buildSegments(intervals: { start: bigint; end: bigint; idx: number }[]): Segments {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const points = [...new Set(intervals.flatMap((iv) => [iv.start, iv.end + 1n]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const heap: { end: bigint; idx: number }[] = [];
  const seg: Segments = { starts: [], owners: [] };
  let next = 0;
  for (const p of points) {
    while (next < sorted.length && sorted[next].start <= p) heapPush(heap, sorted[next++]);
    while (heap.length && heap[0].end < p) heapPop(heap);
    const owner = heap.length ? heap[0].idx : -1;
    if (seg.owners[seg.owners.length - 1] !== owner) {
      seg.starts.push(p);
      seg.owners.push(owner);
    }
  }
  return seg;
}

function heapPush(heap: { end: bigint; idx: number }[], item: { end: bigint; idx: number }) {
  heap.push({ end: item.end, idx: item.idx });
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (heap[parent].idx <= heap[i].idx) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function heapPop(heap: { end: bigint; idx: number }[]) {
  const last = heap.pop()!;
  if (!heap.length) return;
  heap[0] = last;
  for (let i = 0; ; ) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && heap[l].idx < heap[m].idx) m = l;
    if (r < heap.length && heap[r].idx < heap[m].idx) m = r;
    if (m === i) return;
    [heap[m], heap[i]] = [heap[i], heap[m]];
    i = m;
  }
}

function findOwner(seg: Segments, x: bigint): number {
  let lo = 0;
  let hi = seg.starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (seg.starts[mid] <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? -1 : seg.owners[found];
}

const NONE = Number.MAX_SAFE_INTEGER;
const earliest = (a: number | undefined, b: number) => (a !== undefined && a < b ? a : b);
const setFirst = <K>(map: Map<K, number>, key: K, idx: number) => map.has(key) || map.set(key, idx);

class IpLookup {
  private v4: Segments;
  private v6: Segments;
  constructor(entries: RuleEntry[], kind: ListKind) {
    const ivs: Record<4 | 6, { start: bigint; end: bigint; idx: number }[]> = { 4: [], 6: [] };
    entries.forEach((e, idx) => {
      const r = e.kind === kind ? parseIpRule(e.value) : null;
      if (r?.ok) ivs[r.value.version].push({ start: r.value.start, end: r.value.end, idx });
    });
    this.v4 = buildSegments(ivs[4]);
    this.v6 = buildSegments(ivs[6]);
  }
  find(text: string | undefined): Probe {
    if (!text?.trim()) return { idx: -1 };
    const ip = parseIp(text);
    if (!ip.ok) return { idx: -1, error: ip.error };
    const v4 = unmapIpv4(ip.value);
    let idx = findOwner(v4.version === 4 ? this.v4 : this.v6, v4.value);
    // A mapped client may still fall in an IPv6 rule such as ::/0.
    if (idx < 0 && v4 !== ip.value) idx = findOwner(this.v6, ip.value.value);
    return { idx, shown: formatIp(ip.value) };
  }
}

/** One list's answer for one logon; `shown` is the connection value as normalised, `error` why it did not parse. */
interface Probe {
  idx: number;
  shown?: string;
  error?: string;
}

/**
 * Compiles stored entries; entries earlier in the array win over later ones in the same list.
 * `domains` maps the NetBIOS names that DOMAIN\name rules may use to their DNS domains.
 */
export function compileRules(entries: RuleEntry[], settings: ExclusionSettings, domains: DomainNames = {}): CompiledRules {
  const users = { upn: new Map<string, number>(), logon: new Map<string, number>(), group: new Map<string, number>() };
  const macExact = new Map<number, number>();
  const macWild = new Map<number, Map<number, number>>(); // mask → masked value → entry index
  entries.forEach((e, idx) => {
    if (e.kind === "users") {
      const u = classifyUser(e.value.trim(), domains);
      if (u.key !== null) setFirst(users[u.type], u.key, idx);
    } else if (e.kind === "macs") {
      const m = parseMacRule(e.value);
      if (!m.ok) return;
      if (m.value.mask === 0b111111) setFirst(macExact, m.value.value, idx);
      else {
        if (!macWild.has(m.value.mask)) macWild.set(m.value.mask, new Map());
        setFirst(macWild.get(m.value.mask)!, m.value.value, idx);
      }
    }
  });
  const clientIps = new IpLookup(entries, "clientIps");
  const gateways = new IpLookup(entries, "gateways");

  const probe = (kind: ListKind, user: RuleUser, conn: RuleConnection): Probe => {
    if (kind === "clientIps") return clientIps.find(conn.clientIp);
    if (kind === "gateways") return gateways.find(conn.gateway);
    if (kind === "users") {
      const upn = user.upn.trim().toLowerCase();
      let best = earliest(users.upn.get(upn), NONE);
      best = earliest(users.logon.get(upn), best);
      for (const g of user.groups) best = earliest(users.group.get(g.trim().toLowerCase()), best);
      return { idx: best === NONE ? -1 : best };
    }
    if (!conn.clientMac?.trim()) return { idx: -1 };
    const mac = parseMac(conn.clientMac);
    if (!mac.ok) return { idx: -1, error: mac.error };
    let best = earliest(macExact.get(mac.value.value), NONE);
    for (const [mask, values] of macWild) best = earliest(values.get(maskMac(mac.value.bytes, mask)), best);
    return { idx: best === NONE ? -1 : best, shown: mac.value.normalized };
  };
  const matchList = (kind: ListKind, user: RuleUser, conn: RuleConnection) => {
    const { idx } = probe(kind, user, conn);
    return idx < 0 ? null : entries[idx];
  };
  return {
    matchList,
    match(user, conn) {
      for (const kind of LIST_KINDS) {
        const hit = settings.enabled[kind] ? matchList(kind, user, conn) : null;
        if (hit) return hit;
      }
      return null;
    },
    checkList(kind, user, conn) {
      const p = probe(kind, user, conn);
      const entry = p.idx < 0 ? null : entries[p.idx];
      return { entry, detail: explain(kind, entry, p, user, conn, domains) };
    },
  };
}

// One line for a trace: why `entry` matched this user or connection, or why nothing in the list did.
function explain(kind: ListKind, entry: RuleEntry | null, p: Probe, user: RuleUser, conn: RuleConnection, domains: DomainNames): string {
  const rule = entry ? ` (rule #${entry.id})` : "";
  if (kind === "users") {
    if (!entry) return `No user or group rule names ${user.upn}.`;
    const u = classifyUser(entry.value, domains);
    if (u.type === "upn") return `User ${user.upn} is listed by name${rule}.`;
    if (u.type === "logon") return `User ${user.upn} has the logon name ${entry.value}${rule}.`;
    return `User ${user.upn} is a member of the group ${entry.value}${rule}.`;
  }
  const label = { clientIps: "Client IP", macs: "Client MAC", gateways: "Gateway" }[kind];
  const raw = kind === "clientIps" ? conn.clientIp : kind === "macs" ? conn.clientMac : conn.gateway;
  if (p.error) return `${label} "${raw}" is not a valid address, so no rule can match: ${p.error}`;
  if (!p.shown) return `No ${label.toLowerCase()} was reported, so no ${LIST_NAMES[kind]} rule can match.`;
  if (!entry) return `${label} ${p.shown} is in no ${LIST_NAMES[kind]} rule.`;
  const inOrIs = kind === "macs" ? "matches" : entry.value.includes("/") || entry.value.includes("-") ? "is in" : "is";
  return `${label} ${p.shown} ${inOrIs} ${entry.value}${rule}.`;
}
