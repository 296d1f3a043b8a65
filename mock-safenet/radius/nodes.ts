import { formatIp, parseIp, unmapIpv4 } from "../../lib/net/ip";
import { parseNodeAddress } from "../../lib/radius/node-address";

export { parseNodeAddress };

// Auth nodes: the RADIUS clients (NAS, RAS gateways) allowed to ask, each with its shared secret.

export interface AuthNode {
  id: string;
  name: string;
  /** An IP address or a CIDR block. */
  address: string;
  /** Drop requests without a Message-Authenticator (RFC 3579; the BlastRADIUS mitigation). Default true. */
  requireMessageAuthenticator: boolean;
  secret: string;
}

/** How the server finds the node for a source address; the wiring reads the authnodes table. */
export interface AuthNodeLookup {
  forAddress(ip: string): Promise<AuthNode | undefined>;
}

/** The address as the server compares it: IPv4-mapped IPv6 becomes IPv4, IPv6 in canonical form. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip.ok ? formatIp(unmapIpv4(ip.value)) : undefined;
}

/** The node covering `ip`, the most specific block first; nodes with an unreadable address cover nothing. */
export function nodeForAddress<T extends Pick<AuthNode, "address">>(nodes: readonly T[], ip: string): T | undefined {
  const parsed = parseIp(ip);
  if (!parsed.ok) return undefined;
  const addr = unmapIpv4(parsed.value);
  let best: { node: T; size: bigint } | undefined;
  for (const node of nodes) {
    const rule = parseNodeAddress(node.address);
    if (!rule.ok || rule.value.version !== addr.version) continue;
    if (addr.value < rule.value.start || addr.value > rule.value.end) continue;
    const size = rule.value.end - rule.value.start;
    if (!best || size < best.size) best = { node, size };
  }
  return best?.node;
}
