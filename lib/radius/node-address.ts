import { parseIpRule, type IpRule, type Result } from "../net/ip";

// An auth node's address: one IP address or a CIDR block (no ranges: a node is a host or a network).
// Shared by the simulator (which stores the normalised form) and the portal's form. Pure.

export function parseNodeAddress(text: string): Result<IpRule> {
  if (text.includes("-")) return { ok: false, error: `"${text.trim()}" is a range; write one address like 192.0.2.10 or a block like 192.0.2.0/24.` };
  return parseIpRule(text);
}
