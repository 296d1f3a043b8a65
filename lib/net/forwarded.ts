// Who is the client: the socket's peer, unless the peer is a trusted reverse proxy, in which case
// X-Forwarded-For is walked from the right past trusted hops. Pure; reuses lib/net/ip.
import { formatIp, parseIp, parseIpRule, unmapIpv4, type IpAddress, type IpRule, type Result } from "./ip";

export type TrustedProxies = readonly IpRule[];

/** `TRUSTED_PROXIES`: comma-separated addresses or CIDR blocks, IPv4 or IPv6; empty trusts none. */
export function parseTrustedProxies(text: string): Result<IpRule[]> {
  const rules: IpRule[] = [];
  for (const piece of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const r = parseIpRule(piece);
    if (!r.ok) return r;
    if (r.value.kind === "range") return { ok: false, error: `"${piece}" is a range; list the proxies as addresses or CIDR blocks such as 10.0.0.0/8.` };
    rules.push(r.value);
  }
  return { ok: true, value: rules };
}

function matches(ip: IpAddress, proxies: TrustedProxies): boolean {
  return proxies.some((r) => r.version === ip.version && ip.value >= r.start && ip.value <= r.end);
}

/** One X-Forwarded-For entry: a bare address, `[v6]`, `[v6]:port` or `v4:port`; anything else is null. */
function parseHop(entry: string): IpAddress | null {
  let text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(":"));
  const r = parseIp(text);
  return r.ok ? unmapIpv4(r.value) : null;
}

export interface ForwardedInput {
  /** The socket's remote address as the server saw it; undefined when the server did not say. */
  peer: string | undefined;
  forwardedFor?: string | undefined;
  forwardedProto?: string | undefined;
}

export interface ClientInfo {
  /** Canonical client address (IPv4-mapped IPv6 shown as IPv4), or "unknown". */
  address: string;
  /** The scheme a trusted proxy reported, or null when none may be believed. */
  proto: "http" | "https" | null;
}

export function resolveClient(input: ForwardedInput, proxies: TrustedProxies): ClientInfo {
  const peer = input.peer === undefined ? null : parseHop(input.peer);
  if (!peer) return { address: "unknown", proto: null };
  if (!matches(peer, proxies)) return { address: formatIp(peer), proto: null };
  let client = peer;
  const hops = (input.forwardedFor ?? "").split(",").filter((h) => h.trim() !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]);
    // A hop we cannot read ends the walk: nothing left of it can be attributed to anyone.
    if (!hop) break;
    client = hop;
    if (!matches(hop, proxies)) break;
  }
  const proto = (input.forwardedProto ?? "").split(",").at(-1)?.trim().toLowerCase();
  return { address: formatIp(client), proto: proto === "https" || proto === "http" ? proto : null };
}

/** The internal request header the portal's own HTTP server sets from the socket (and strips from clients). */
export const PEER_HEADER = "x-portal-peer";
