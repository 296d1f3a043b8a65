import { describe, expect, it } from "vitest";
import { coveringEntry, userListMatch, type ListKind, type RuleEntry } from "../../lib/mfa/rules";

const rules = (kind: ListKind, ...values: string[]): RuleEntry[] => values.map((value, i) => ({ id: i + 1, kind, value }));
const CORP = { CORP: "corp.local" };

describe("coveringEntry", () => {
  it("names the network or range an address or smaller block falls in", () => {
    const list = rules("clientIps", "10.0.0.0/8", "192.168.1.10-192.168.1.20", "2001:db8::/32");
    expect(coveringEntry("clientIps", "10.1.2.3", list)?.value).toBe("10.0.0.0/8");
    expect(coveringEntry("clientIps", "10.20.0.0/16", list)?.value).toBe("10.0.0.0/8");
    expect(coveringEntry("clientIps", "192.168.1.15", list)?.value).toBe("192.168.1.10-192.168.1.20");
    expect(coveringEntry("clientIps", "2001:db8::5", list)?.value).toBe("2001:db8::/32");
    expect(coveringEntry("clientIps", "192.168.1.15-192.168.1.25", list)).toBeNull();
    expect(coveringEntry("clientIps", "11.0.0.1", list)).toBeNull();
    // The same block is a duplicate, not a covered entry; another list does not count.
    expect(coveringEntry("clientIps", "10.0.0.0/8", list)).toBeNull();
    expect(coveringEntry("gateways", "10.1.2.3", list)).toBeNull();
  });

  it("names the ?? pattern a MAC address or narrower pattern matches", () => {
    const list = rules("macs", "00-14-22-??-??-??");
    expect(coveringEntry("macs", "00-14-22-01-aa-bb", list)?.value).toBe("00-14-22-??-??-??");
    expect(coveringEntry("macs", "00-14-22-01-??-??", list)?.value).toBe("00-14-22-??-??-??");
    expect(coveringEntry("macs", "00-14-23-01-aa-bb", list)).toBeNull();
    expect(coveringEntry("macs", "00-14-??-01-aa-bb", list)).toBeNull();
  });

  it("names the UPN a DOMAIN\\name stands for, and the other way round", () => {
    expect(coveringEntry("users", "CORP\\alice", rules("users", "alice@corp.local"), CORP)?.value).toBe("alice@corp.local");
    expect(coveringEntry("users", "alice@corp.local", rules("users", "CORP\\Alice"), CORP)?.value).toBe("CORP\\Alice");
    expect(coveringEntry("users", "bob@corp.local", rules("users", "CORP\\alice"), CORP)).toBeNull();
  });
});

describe("userListMatch", () => {
  it("finds the group entry that already covers a user", () => {
    const list = rules("users", "MFA Exempt", "dave@corp.local");
    expect(userListMatch({ upn: "carol@corp.local", groups: ["Domain Users", "MFA Exempt"] }, list)?.value).toBe("MFA Exempt");
    expect(userListMatch({ upn: "Dave@corp.local", groups: [] }, list)?.value).toBe("dave@corp.local");
    expect(userListMatch({ upn: "alice@corp.local", groups: ["Domain Users"] }, list)).toBeNull();
  });
});
