import { describe, expect, it } from "vitest";
import { decide, type DecisionInput, type Mode, type TokenState } from "../../lib/mfa/decision";
import { compileRules, isDuplicate, LIST_KINDS, normalizeEntry, type ExclusionSettings, type ListKind, type RuleEntry } from "../../lib/mfa/rules";
import { repositoryDomains } from "../../lib/mfa/settings";
import { parseIp, parseIpRule, unmapIpv4 } from "../../lib/net/ip";
import { parseMac, parseMacRule } from "../../lib/net/mac";

const ALL_ON: Record<ListKind, boolean> = { users: true, clientIps: true, macs: true, gateways: true };
/** alice@corp.example's domain is CORP to Windows; EU is another domain. */
const DOMAINS = { CORP: "corp.example", EU: "eu.example" };
const settings = (over: Partial<ExclusionSettings> = {}): ExclusionSettings => ({ defaultMode: "mfa", enabled: { ...ALL_ON }, ...over });

/** Entries as the admin console would store them: normalized, ids counting from `firstId`. */
function entries(list: [ListKind, string][], firstId = 1): RuleEntry[] {
  return list.map(([kind, text], i) => {
    const n = normalizeEntry(kind, text);
    if (!n.ok) throw new Error(`fixture ${text}: ${n.error}`);
    return { id: firstId + i, kind, value: n.value.value };
  });
}

const alice = { upn: "alice@corp.example", groups: ["Sales", "VPN Users"] };
const bob = { upn: "bob@corp.example", groups: ["Engineering"] };

describe("normalizeEntry", () => {
  it.each([
    ["users", "  Alice@Corp.Example ", "alice@corp.example", "user alice@corp.example"],
    ["users", "corp\\Alice", "CORP\\Alice", "user CORP\\Alice"],
    ["users", "  Domain Users ", "Domain Users", "group Domain Users"],
    ["clientIps", "10.0.0.1 - 10.0.0.9", "10.0.0.1-10.0.0.9", "IPv4 range 10.0.0.1-10.0.0.9"],
    ["clientIps", "2001:DB8::/32", "2001:db8::/32", "IPv6 network 2001:db8::/32"],
    ["clientIps", "::ffff:192.0.2.1", "192.0.2.1", "IPv4 address 192.0.2.1"],
    ["gateways", "192.0.2.10", "192.0.2.10", "gateway IPv4 address 192.0.2.10"],
    ["macs", "0014.2201.2345", "00-14-22-01-23-45", "MAC 00-14-22-01-23-45"],
    ["macs", "00:14:22:01:??:??", "00-14-22-01-??-??", "MAC pattern 00-14-22-01-??-??"],
  ] as [ListKind, string, string, string][])("%s %j → %j", (kind, text, value, label) => {
    expect(normalizeEntry(kind, text)).toEqual({ ok: true, value: { value, label } });
  });

  it.each([
    ["users", "   ", /empty; type a value/],
    ["users", "x".repeat(257), /257 characters long; keep it to 256/],
    ["users", "alice@", /not a user principal name/],
    ["users", "al ice@corp.example", /not a user principal name/],
    ["users", "\\alice", /DOMAIN\\name/],
    ["users", "CORP\\a\\b", /DOMAIN\\name/],
    ["clientIps", "192.168.1.5/24", /did you mean 192\.168\.1\.0\/24\?/],
    ["gateways", "gateway.corp", /not an IP address/],
    ["macs", "00-14-22-01-0?-??", /partly wild/],
    ["macs", "", /empty/],
  ] as [ListKind, string, RegExp][])("%s refuses %j", (kind, text, message) => {
    const r = normalizeEntry(kind, text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("isDuplicate", () => {
  const existing = entries([["macs", "00-14-22-01-23-45"], ["clientIps", "10.0.0.0/8"], ["users", "Sales"], ["users", "CORP\\alice"], ["gateways", "192.0.2.1"]]);
  it.each([
    ["macs", "00:14:22:01:23:45", true],
    ["macs", "0014.2201.2345", true],
    ["macs", "00-14-22-01-23-46", false],
    ["clientIps", "10.0.0.0 / 8", true],
    ["clientIps", "10.0.0.0 - 10.255.255.255", false], // same addresses, different text: by design
    ["gateways", "10.0.0.0/8", false], // another list
    ["clientIps", "192.0.2.1", false],
    ["users", "sales", true],
    ["users", "corp\\ALICE", true],
    ["users", "alice@corp.example", false],
  ] as [ListKind, string, boolean][])("%s %j: %s", (kind, value, dup) => {
    expect(isDuplicate(kind, value, existing)).toBe(dup);
  });
});

describe("rule kinds", () => {
  const decoys: [ListKind, string][] = [["users", "carol@corp.example"], ["clientIps", "172.16.0.0/12"], ["macs", "AA-BB-CC-DD-EE-FF"], ["gateways", "198.51.100.1"]];
  type Case = [string, [ListKind, string], typeof alice, { clientIp?: string; clientMac?: string; gateway?: string }, boolean];
  it.each<Case>([
    ["UPN, any case", ["users", "ALICE@corp.example"], alice, {}, true],
    ["UPN of someone else", ["users", "alice@other.example"], alice, {}, false],
    ["DOMAIN\\name on the logon name", ["users", "CORP\\ALICE"], alice, {}, true],
    ["DOMAIN\\name of another domain", ["users", "EU\\alice"], alice, {}, false],
    ["DOMAIN\\name of someone else", ["users", "CORP\\alic"], alice, {}, false],
    ["group, case-insensitive", ["users", "vpn users"], alice, {}, true],
    ["group the user is not directly in", ["users", "All Staff"], { ...alice, groups: ["Sales"] }, {}, false],
    ["IPv4 single", ["clientIps", "10.1.2.3"], alice, { clientIp: "10.1.2.3" }, true],
    ["IPv4 single, neighbour", ["clientIps", "10.1.2.3"], alice, { clientIp: "10.1.2.4" }, false],
    ["IPv4 range, first", ["clientIps", "10.0.0.10-10.0.0.20"], alice, { clientIp: "10.0.0.10" }, true],
    ["IPv4 range, last", ["clientIps", "10.0.0.10-10.0.0.20"], alice, { clientIp: "10.0.0.20" }, true],
    ["IPv4 range, one before", ["clientIps", "10.0.0.10-10.0.0.20"], alice, { clientIp: "10.0.0.9" }, false],
    ["IPv4 range, one after", ["clientIps", "10.0.0.10-10.0.0.20"], alice, { clientIp: "10.0.0.21" }, false],
    ["IPv4 CIDR", ["clientIps", "10.0.0.0/8"], alice, { clientIp: "10.255.255.255" }, true],
    ["IPv4 CIDR, outside", ["clientIps", "10.0.0.0/8"], alice, { clientIp: "11.0.0.0" }, false],
    ["IPv4-mapped client vs IPv4 rule", ["clientIps", "10.0.0.0/8"], alice, { clientIp: "::ffff:10.9.8.7" }, true],
    ["IPv4-mapped client vs IPv6 ::/0", ["clientIps", "::/0"], alice, { clientIp: "::ffff:10.9.8.7" }, true],
    ["IPv4 client vs IPv6 ::/0", ["clientIps", "::/0"], alice, { clientIp: "10.9.8.7" }, false],
    ["IPv6 single", ["clientIps", "2001:db8::1"], alice, { clientIp: "2001:DB8:0:0::1" }, true],
    ["IPv6 range, last", ["clientIps", "2001:db8::1-2001:db8::ff"], alice, { clientIp: "2001:db8::ff" }, true],
    ["IPv6 range, one after", ["clientIps", "2001:db8::1-2001:db8::ff"], alice, { clientIp: "2001:db8::100" }, false],
    ["IPv6 CIDR", ["clientIps", "2001:db8::/32"], alice, { clientIp: "2001:db8:ffff::1" }, true],
    ["IPv6 CIDR, outside", ["clientIps", "2001:db8::/32"], alice, { clientIp: "2001:db9::1" }, false],
    ["bad client IP text", ["clientIps", "0.0.0.0/0"], alice, { clientIp: "not-an-ip" }, false],
    ["no client IP", ["clientIps", "0.0.0.0/0"], alice, {}, false],
    ["exact MAC, Cisco client", ["macs", "00-14-22-01-23-45"], alice, { clientMac: "0014.2201.2345" }, true],
    ["exact MAC, bare lower-case client", ["macs", "00:14:22:01:23:45"], alice, { clientMac: "001422012345" }, true],
    ["wildcard MAC", ["macs", "00-14-22-01-??-??"], alice, { clientMac: "00:14:22:01:ab:cd" }, true],
    ["wildcard MAC, fixed byte differs", ["macs", "00-14-22-01-??-??"], alice, { clientMac: "00:14:22:02:ab:cd" }, false],
    ["bad client MAC text", ["macs", "00-14-22-01-??-??"], alice, { clientMac: "00:14:22:01:ab" }, false],
    ["gateway", ["gateways", "192.0.2.0/24"], alice, { gateway: "192.0.2.200" }, true],
    ["gateway rule vs client IP", ["gateways", "192.0.2.0/24"], alice, { clientIp: "192.0.2.200" }, false],
    ["client IP rule vs gateway", ["clientIps", "192.0.2.0/24"], alice, { gateway: "192.0.2.200" }, false],
  ])("%s", (_name, entry, user, conn, matches) => {
    const list = [...entries(decoys, 1), ...entries([entry], 42)];
    expect(compileRules(list, settings(), DOMAINS).match(user, conn)?.id ?? null).toBe(matches ? 42 : null);
  });
});

describe("DOMAIN\\name rules match that domain only", () => {
  const corpLocal = { CORP: "corp.local" };
  const carol = { upn: "alice@corp.local", groups: ["MFA Exempt"] };
  type Case = [rule: string, upn: string, domains: Record<string, string>, matches: boolean];
  it.each<Case>([
    ["CORP\\alice", "alice@corp.local", corpLocal, true],
    ["corp\\ALICE", "alice@corp.local", corpLocal, true],
    ["OTHER\\alice", "alice@corp.local", corpLocal, false],
    ["CORPX\\alice", "alice@corp.local", corpLocal, false],
    ["COR\\alice", "alice@corp.local", corpLocal, false],
    ["CORP\\alice", "alice@other.local", corpLocal, false],
    ["CORP\\alice", "alice@corp.local.evil", corpLocal, false],
    ["CORP\\alice", "alice@corp.local", {}, false], // a NetBIOS name nobody maps matches nobody
    ["corp.local\\alice", "alice@corp.local", {}, true], // the DNS name itself, as SafeNet accepts it
    ["other.local\\alice", "alice@corp.local", corpLocal, false],
    ["OTHER\\alice", "alice@other.local", { ...corpLocal, OTHER: "other.local" }, true],
    ["alice", "alice@corp.local", corpLocal, false], // a bare name is a group, as before
    ["alice@corp.local", "alice@corp.local", corpLocal, true],
    ["alice@corp.local", "alice@other.local", corpLocal, false],
    ["MFA Exempt", "alice@corp.local", corpLocal, true],
  ])("rule %j vs %s with %j: %s", (rule, upn, domains, matches) => {
    const compiled = compileRules(entries([["users", rule]], 7), settings(), domains);
    const user = { ...carol, upn, groups: rule === "MFA Exempt" ? carol.groups : [] };
    expect(compiled.match(user, {})?.id ?? null).toBe(matches ? 7 : null);
  });

  it("takes the NetBIOS name of the configured repository the way Active Directory names it", () => {
    expect(repositoryDomains("corp.local")).toEqual({ CORP: "corp.local" });
    expect(repositoryDomains(" Sales.EU.Example ")).toEqual({ SALES: "sales.eu.example" });
    expect(repositoryDomains("averyveryverylongdomainname.example")).toEqual({ AVERYVERYVERYLO: "averyveryverylongdomainname.example" });
  });

  it("says which logon name matched, and leaves an unknown domain unmatched in the trace", () => {
    const compiled = compileRules(entries([["users", "OTHER\\alice"], ["users", "CORP\\alice"]]), settings(), { CORP: "corp.local" });
    expect(compiled.checkList("users", { upn: "alice@corp.local", groups: [] }, {})).toEqual({
      entry: { id: 2, kind: "users", value: "CORP\\alice" },
      detail: "User alice@corp.local has the logon name CORP\\alice (rule #2).",
    });
  });
});

describe("compileRules: lists and order", () => {
  const list = entries([
    ["clientIps", "10.0.0.0/8"], // 1
    ["macs", "00-14-22-??-??-??"], // 2
    ["gateways", "192.0.2.1"], // 3
    ["users", "Sales"], // 4
    ["users", "alice@corp.example"], // 5
    ["clientIps", "10.1.0.0/16"], // 6
    ["macs", "00-14-22-01-23-45"], // 7
  ]);
  const conn = { clientIp: "10.1.2.3", clientMac: "00-14-22-01-23-45", gateway: "192.0.2.1" };
  it.each([
    ["users before client IPs, earliest user rule", ALL_ON, alice, 4],
    ["users off → client IPs, earliest covering block", { ...ALL_ON, users: false }, alice, 1],
    ["no user rule → client IPs", ALL_ON, bob, 1],
    ["users and IPs off → MACs, earliest of wildcard and exact", { ...ALL_ON, users: false, clientIps: false }, alice, 2],
    ["only gateways on", { users: false, clientIps: false, macs: false, gateways: true }, alice, 3],
    ["all off", { users: false, clientIps: false, macs: false, gateways: false }, alice, null],
  ] as [string, Record<ListKind, boolean>, typeof alice, number | null][])("%s", (_n, enabled, user, id) => {
    expect(compileRules(list, settings({ enabled })).match(user, conn)?.id ?? null).toBe(id);
  });

  it("an earlier narrow block wins over a later wide one, and only where it covers", () => {
    const rules = compileRules(entries([["clientIps", "10.1.0.0/16"], ["clientIps", "10.0.0.0/8"], ["clientIps", "10.1.2.3"]]), settings());
    expect(rules.match(bob, { clientIp: "10.1.2.3" })?.id).toBe(1);
    expect(rules.match(bob, { clientIp: "10.2.0.0" })?.id).toBe(2);
    expect(rules.match(bob, { clientIp: "10.0.255.255" })?.id).toBe(2);
  });
});

// Straight from the rule text, one entry at a time: the compiled lookups must agree with this.
type Conn = { clientIp?: string; clientMac?: string; gateway?: string };
function naiveMatcher(list: RuleEntry[]) {
  const parsed = list.map((e) => ({ e, ip: parseIpRule(e.value), mac: parseMacRule(e.value) }));
  const client = (text?: string) => {
    const a = text ? parseIp(text) : null;
    return a?.ok ? unmapIpv4(a.value) : null;
  };
  const ipIn = (r: ReturnType<typeof parseIpRule>, c: ReturnType<typeof client>) =>
    r.ok && c !== null && c.version === r.value.version && c.value >= r.value.start && c.value <= r.value.end;
  return (enabled: Record<ListKind, boolean>, user: typeof alice, conn: Conn) => {
    const [ip, gw] = [client(conn.clientIp), client(conn.gateway)];
    const m = conn.clientMac ? parseMac(conn.clientMac) : null;
    const test: Record<ListKind, (p: (typeof parsed)[number]) => boolean> = {
      users: ({ e: { value: v } }) =>
        v.includes("@")
          ? v === user.upn
          : v.includes("\\")
            ? `${v.split("\\")[1].toLowerCase()}@${DOMAINS[v.split("\\")[0] as keyof typeof DOMAINS]}` === user.upn
            : user.groups.some((g) => g.toLowerCase() === v.toLowerCase()),
      clientIps: (p) => ipIn(p.ip, ip),
      gateways: (p) => ipIn(p.ip, gw),
      macs: ({ mac: r }) => r.ok && !!m?.ok && r.value.bytes.every((b, i) => b === null || b === m.value.bytes[i]),
    };
    for (const kind of LIST_KINDS) {
      const hit = enabled[kind] && parsed.find((p) => p.e.kind === kind && test[kind](p));
      if (hit) return hit.e;
    }
    return null;
  };
}

describe("compileRules with 10 000 mixed rules", () => {
  let seed = 7;
  // mulberry32: small, seeded, evenly spread.
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const hex = (n: number) => rnd(n).toString(16).padStart(2, "0");
  const texts: [ListKind, string][] = [];
  for (let i = 0; i < 2500; i++) {
    texts.push(["users", i % 4 === 0 ? `CORP\\logon${i}` : i % 4 === 1 ? `Group ${i}` : `user${i}@corp.example`]);
    const [o2, o3, o4, g, h] = [rnd(4), rnd(256), rnd(256), rnd(4).toString(16), rnd(60000)];
    const ip = [
      `10.${o2}.${o3}.${o4}`,
      `10.${o2}.${o3}.${o4}-10.${o2}.${Math.min(255, o3 + rnd(3))}.255`,
      `10.${o2}.${rnd(16) * 16}.0/${20 + rnd(9)}`,
      `2001:db8:${g}::${h.toString(16)}`,
      `2001:db8:${g}::${h.toString(16)}-2001:db8:${g}::${(h + rnd(500)).toString(16)}`,
      `2001:db8:${g}:${rnd(3)}::/64`,
    ][i % 6];
    texts.push(["clientIps", ip]);
    texts.push(["macs", `02-${hex(4)}-${hex(256)}-${i % 2 ? "??" : hex(256)}-${hex(256)}-${i % 4 === 1 ? "??" : hex(256)}`]);
    texts.push(["gateways", i % 2 ? `192.0.${rnd(4)}.${rnd(256)}` : `192.0.${rnd(4)}.${rnd(16) * 16}/28`]);
  }
  const list = entries(texts);
  const compiled = compileRules(list, settings(), DOMAINS);
  const enabled = settings().enabled;
  const naiveMatch = naiveMatcher(list);

  it("holds 10 000 entries and finds planted ones by id", () => {
    expect(list).toHaveLength(10_000);
    const at = (kind: ListKind, nth: number) => list.filter((e) => e.kind === kind)[nth];
    expect(compiled.match({ upn: "user2498@corp.example", groups: [] }, {})?.id).toBe(at("users", 2498).id);
    expect(compiled.match({ upn: "logon4@corp.example", groups: [] }, {})?.id).toBe(at("users", 4).id);
    expect(compiled.match({ upn: "logon4@eu.example", groups: [] }, {})).toBeNull();
    expect(compiled.match({ upn: "x@corp.example", groups: ["group 2497"] }, {})?.id).toBe(at("users", 2497).id);
    expect(compiled.match({ upn: "x@corp.example", groups: ["Group 2496"] }, {})).toBeNull();
    expect(compiled.match(bob, { clientMac: "03-00-00-00-00-00", clientIp: "11.0.0.1", gateway: "192.0.5.1" })).toBeNull();
  });

  it("agrees with a rule-by-rule scan on 1 000 random logons", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const user = { upn: `user${rnd(3000)}@corp.example`, groups: [`group ${rnd(3000)}`] };
      const conn = {
        clientIp: i % 3 ? `10.${rnd(5)}.${rnd(256)}.${rnd(256)}` : `2001:db8:${rnd(5)}::${rnd(65536).toString(16)}`,
        clientMac: `02:${hex(4)}:${hex(256)}:${hex(256)}:${hex(256)}:${hex(256)}`,
        gateway: `192.0.${rnd(5)}.${rnd(256)}`,
      };
      for (const kind of LIST_KINDS) {
        const only = { users: false, clientIps: false, macs: false, gateways: false, [kind]: true };
        const expected = naiveMatch(only, user, conn)?.id ?? null;
        expect(compiled.matchList(kind, user, conn)?.id ?? null, `${kind} ${JSON.stringify({ user, conn })}`).toBe(expected);
        seen.add(`${kind} ${expected === null ? "miss" : "hit"}`);
      }
      expect(compiled.match(user, conn)).toBe(naiveMatch(enabled, user, conn));
    }
    expect(seen.size, "every list both hit and missed").toBe(8);
  });
});

type Tok = { serial: string; state: TokenState };
function input(over: { provider?: "none" | "safenet"; mode?: Mode; account?: boolean; tokens?: Tok[]; list?: RuleEntry[]; exclusions?: ExclusionSettings; conn?: DecisionInput["connection"] } = {}): DecisionInput {
  const exclusions = over.exclusions ?? settings();
  return {
    provider: over.provider ?? "safenet",
    mode: over.mode ?? "mandatory",
    exclusions,
    rules: compileRules(over.list ?? [], exclusions),
    user: { ...alice, safenetAccount: over.account ?? true, tokens: over.tokens ?? [] },
    connection: over.conn ?? { clientIp: "203.0.113.9" },
  };
}
const t = (state: TokenState, serial = `S-${state}`): Tok => ({ serial, state });

describe("decide", () => {
  const officeIps = entries([["clientIps", "10.0.0.0/8"]], 12);
  it.each([
    ["provider None", input({ provider: "none", list: officeIps, conn: { clientIp: "10.1.2.3" } }), "allow", "provider_none", /provider is None/],
    ["excluded client IP", input({ list: officeIps, conn: { clientIp: "10.1.2.3" } }), "allow", "excluded", /^No MFA: client IP 10\.1\.2\.3 is in 10\.0\.0\.0\/8 \(rule #12\)\.$/],
    ["not excluded, default none", input({ exclusions: settings({ defaultMode: "none" }), list: officeIps, tokens: [t("Active")] }), "allow", "not_excluded_default_none", /no rule names this one/],
    ["account_only, no account", input({ mode: "account_only", account: false }), "allow", "no_account", /has no SafeNet account/],
    ["account_only, account, Active", input({ mode: "account_only", tokens: [t("Active", "111")] }), "require_otp", "otp", /token 111/],
    ["account_only, account, no token", input({ mode: "account_only" }), "deny", "no_usable_token", /has no token; ask an administrator/],
    ["create_token, no token", input({ mode: "create_token" }), "enroll", "enroll", /New Account Info/],
    ["create_token, only Lost and Inventory", input({ mode: "create_token", tokens: [t("Lost"), t("Inventory")] }), "enroll", "enroll", /New Account Info/],
    ["create_token, Assigned", input({ mode: "create_token", tokens: [t("Assigned", "222")] }), "enroll", "enroll", /222 is enrolled but not activated/],
    ["create_token, Locked", input({ mode: "create_token", tokens: [t("Locked", "333")] }), "deny", "no_usable_token", /token 333 is locked/],
    ["create_token, Suspended", input({ mode: "create_token", tokens: [t("Suspended", "444")] }), "deny", "no_usable_token", /token 444 is suspended/],
    ["create_token, Active", input({ mode: "create_token", tokens: [t("Locked"), t("Active", "555")] }), "require_otp", "otp", /token 555/],
    ["mandatory, no token", input(), "deny", "no_usable_token", /has no token/],
    ["mandatory, Assigned", input({ tokens: [t("Assigned", "666")] }), "deny", "no_usable_token", /666 is enrolled but not activated/],
    ["mandatory, Locked", input({ tokens: [t("Locked", "777")] }), "deny", "no_usable_token", /token 777 is locked/],
    ["mandatory, Suspended", input({ tokens: [t("Suspended", "888")] }), "deny", "no_usable_token", /token 888 is suspended/],
    ["mandatory, Lost", input({ tokens: [t("Lost", "999")] }), "deny", "no_usable_token", /999 is reported lost/],
    ["mandatory, Active", input({ tokens: [t("Active", "000")] }), "require_otp", "otp", /token 000/],
    ["mandatory, no account: MFA still applies", input({ account: false }), "deny", "no_usable_token", /has no token/],
    ["excluded list switched off", input({ list: officeIps, conn: { clientIp: "10.1.2.3" }, exclusions: settings({ enabled: { ...ALL_ON, clientIps: false } }), tokens: [t("Active")] }), "require_otp", "otp", /passcode/],
  ] as [string, DecisionInput, string, string, RegExp][])("%s", (_n, given, outcome, code, reason) => {
    const d = decide(given);
    expect([d.outcome, d.code]).toEqual([outcome, code]);
    expect(d.reason).toMatch(reason);
  });

  it("names the exclusion that allowed the logon", () => {
    const d = decide(input({ list: entries([["users", "Sales"]], 3) }));
    expect(d.rule).toEqual({ id: 3, kind: "users", value: "Sales" });
    expect(d.reason).toBe("No MFA: user alice@corp.example is a member of the group Sales (rule #3).");
  });

  it("default mode none: a matching rule puts MFA on and is kept as the decision's rule", () => {
    const exclusions = settings({ defaultMode: "none" });
    const list = entries([["gateways", "192.0.2.1"]], 9);
    const on = decide(input({ exclusions, list, tokens: [t("Active", "123")], conn: { gateway: "192.0.2.1" } }));
    expect([on.outcome, on.code, on.rule?.id]).toEqual(["require_otp", "otp", 9]);
    const off = decide(input({ exclusions, list, tokens: [t("Active", "123")], conn: { gateway: "192.0.2.2" } }));
    expect([off.outcome, off.code, off.rule]).toEqual(["allow", "not_excluded_default_none", null]);
    const denied = decide(input({ exclusions, list, conn: { gateway: "192.0.2.1" } }));
    expect([denied.outcome, denied.rule?.id]).toEqual(["deny", 9]);
  });

  it("traces every check that ran, in order", () => {
    const list = entries([["macs", "00-14-22-01-??-??"]], 5);
    const exclusions = settings({ enabled: { ...ALL_ON, users: false } });
    const d = decide(input({ exclusions, list, mode: "create_token", tokens: [t("Active", "42")], conn: { clientIp: "bogus", clientMac: "0014.2201.9999" } }));
    expect(d.code).toBe("excluded");
    expect(d.trace).toEqual([
      { check: "MFA provider is SafeNet", passed: true, detail: "The MFA provider is SafeNet." },
      { check: "User or group rule matches", passed: false, detail: "The users and groups list is switched off." },
      { check: "Client IP rule matches", passed: false, detail: expect.stringMatching(/^Client IP "bogus" is not a valid address/) },
      { check: "Client MAC rule matches", passed: true, detail: "Client MAC 00-14-22-01-99-99 matches 00-14-22-01-??-?? (rule #5)." },
    ]);
    const otp = decide(input({ mode: "create_token", tokens: [t("Locked", "41"), t("Active", "42")] }));
    expect(otp.trace.map((s) => [s.check, s.passed])).toEqual([
      ["MFA provider is SafeNet", true],
      ["User or group rule matches", false],
      ["Client IP rule matches", false],
      ["Client MAC rule matches", false],
      ["Gateway rule matches", false],
      ["User has a token that can still be used", true],
      ["User has an Active token", true],
    ]);
    expect(otp.trace.at(-1)?.detail).toContain("Token 42 is Active");
    expect(decide(input({ mode: "account_only", account: false })).trace.at(-1)).toMatchObject({ check: "User has a SafeNet account", passed: false });
  });
});
