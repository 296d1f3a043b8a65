import { netbiosNameOf } from "../mfa/settings";
import { formatIp, parseIpRule } from "../net/ip";

// The connection dialog's starting values and who may be tested. Pure.

export interface GatewayOption {
  address: string;
  /** The rule it comes from, when that is not the address itself. */
  from?: string;
}

/** One address per gateway rule (a range's first address, a network's first host), in rule order, without repeats. */
export function gatewayOptions(ruleValues: string[]): GatewayOption[] {
  const out: GatewayOption[] = [];
  const seen = new Set<string>();
  for (const value of ruleValues) {
    const r = parseIpRule(value);
    if (!r.ok) continue;
    const { kind, version, start, end } = r.value;
    // A network's first address is the network itself; its next one is a usable host when there is room.
    const first = kind === "cidr" && end - start > 1n ? start + 1n : start;
    const address = formatIp({ version, value: first });
    if (seen.has(address)) continue;
    seen.add(address);
    out.push(kind === "single" ? { address } : { address, from: value });
  }
  return out;
}

/** Whether the typed logon name (alice, CORP\alice, alice@corp.local) can only mean `upn`. */
export function namesSelf(typed: string, upn: string): boolean {
  const name = typed.trim().toLowerCase();
  const me = upn.trim().toLowerCase();
  if (name.includes("@")) return name === me;
  const [mySam, myDomain = ""] = me.split("@");
  if (name.includes("\\")) {
    // DOMAIN\name means that domain only: its NetBIOS name or its DNS name.
    const domain = name.slice(0, name.lastIndexOf("\\"));
    if (domain !== myDomain && domain !== netbiosNameOf(myDomain).toLowerCase()) return false;
  }
  const sam = name.slice(name.lastIndexOf("\\") + 1);
  return sam !== "" && sam === mySam;
}
