import { beforeEach, describe, expect, it } from "vitest";
import type { PortalDb } from "../../db/index";
import { addExclusionRule, listExclusionRules, loadRuleEntries, removeExclusionRule, ruleSetVersion } from "../../db/queries/exclusions";
import { compileRules } from "../../lib/mfa/rules";
import { sql } from "../../lib/runtime/sql";
import { portalDbPerSuite, portalDialects, type TestPortalDb } from "./support/portal-db";

const ALL_ON = { defaultMode: "mfa" as const, enabled: { users: true, clientIps: true, macs: true, gateways: true } };

describe.each(portalDialects())("exclusion rules store (%s)", (dialect) => {
  const suite = portalDbPerSuite(dialect, ["exclusion_rules"]);
  let db: PortalDb;
  let t: TestPortalDb;
  beforeEach(() => {
    ({ db, t } = suite);
  });

  function add(kind: Parameters<typeof addExclusionRule>[1], input: string, on: PortalDb = db) {
    return addExclusionRule(on, kind, input, "bob@corp.local");
  }

  it("stores what the administrator typed in its normalised form, with label and author", async () => {
    const mac = await add("macs", "00:14:22:01:??:??");
    const ip = await add("clientIps", " 2001:DB8:0::/32 ");
    expect(mac).toMatchObject({ ok: true, rule: { kind: "macs", value: "00-14-22-01-??-??", label: "MAC pattern 00-14-22-01-??-??", createdBy: "bob@corp.local" } });
    expect(ip).toMatchObject({ ok: true, rule: { value: "2001:db8::/32", label: "IPv6 network 2001:db8::/32" } });
    expect((await listExclusionRules(db)).map((r) => r.value)).toEqual(["00-14-22-01-??-??", "2001:db8::/32"]);
  });

  it("refuses an invalid entry with the sentence that says why, and stores nothing", async () => {
    expect(await add("clientIps", "10.0.0.300")).toEqual({ ok: false, reason: "invalid", error: expect.stringContaining("octet 300") });
    expect(await add("clientIps", "10.0.0.5/24")).toEqual({ ok: false, reason: "invalid", error: expect.stringContaining("did you mean 10.0.0.0/24") });
    expect(await add("macs", "00-14-22-01-2?-00")).toEqual({ ok: false, reason: "invalid", error: expect.stringContaining("partly wild byte") });
    expect((await listExclusionRules(db))).toEqual([]);
  });

  it("refuses a duplicate in any notation, but allows the same value in another list", async () => {
    expect((await add("clientIps", "10.20.0.0/16")).ok).toBe(true);
    expect(await add("clientIps", "10.20.0.0/16")).toEqual({ ok: false, reason: "duplicate", error: "10.20.0.0/16 is already in the client IP list." });
    expect((await add("macs", "00-14-22-01-23-45")).ok).toBe(true);
    expect(await add("macs", "0014.2201.2345")).toMatchObject({ ok: false, reason: "duplicate" });
    expect((await add("users", "MFA Exempt")).ok).toBe(true);
    expect(await add("users", "mfa exempt")).toMatchObject({ ok: false, reason: "duplicate", error: "mfa exempt is already in the users and groups list." });
    expect((await add("gateways", "10.20.0.0/16")).ok).toBe(true);
    expect((await listExclusionRules(db))).toHaveLength(4);
  });

  it("refuses the same value added at once by two administrators on two instances: one is stored", async () => {
    const other = t.openAnother();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => add("clientIps", "10.30.0.0/16", i % 2 ? other : db)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "duplicate")).toHaveLength(5);
    expect(await listExclusionRules(db)).toHaveLength(1);
  });

  it("removes one rule and says when it was already gone", async () => {
    const added = await add("gateways", "192.0.2.10");
    if (!added.ok) throw new Error(added.error);
    expect((await removeExclusionRule(db, added.rule.id))).toMatchObject({ id: added.rule.id, value: "192.0.2.10" });
    expect((await removeExclusionRule(db, added.rule.id))).toBeNull();
    expect((await listExclusionRules(db))).toEqual([]);
  });

  it("loads entries oldest first, so the rule added first decides when two overlap", async () => {
    await add("clientIps", "10.20.0.0/16");
    await add("clientIps", "10.20.30.1 - 10.20.30.50");
    const entries = (await loadRuleEntries(db));
    expect(entries.map((e) => e.value)).toEqual(["10.20.0.0/16", "10.20.30.1-10.20.30.50"]);
    const rules = compileRules(entries, ALL_ON);
    expect(rules.match({ upn: "alice@corp.local", groups: [] }, { clientIp: "10.20.30.40" })?.value).toBe("10.20.0.0/16");
    (await removeExclusionRule(db, entries[0].id));
    const after = compileRules((await loadRuleEntries(db)), ALL_ON);
    expect(after.match({ upn: "alice@corp.local", groups: [] }, { clientIp: "10.20.30.40" })?.value).toBe("10.20.30.1-10.20.30.50");
  });

  it("loads and compiles 10 000 rules in one query and still finds the right one", async () => {
    const now = Date.now();
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      kind: "clientIps" as const,
      value: `10.${Math.floor(i / 256)}.${i % 256}.0/24`,
      label: "bulk",
      createdAt: now,
      createdBy: "bench",
    }));
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 500) {
        const values = rows.slice(i, i + 500).map((r) => sql`(${r.kind}, ${r.value}, ${r.label}, ${r.createdAt}, ${r.createdBy})`);
        await tx.run(sql`INSERT INTO exclusion_rules (kind, value, label, created_at, created_by) VALUES ${sql.join(values)}`);
      }
    });
    const rules = compileRules((await loadRuleEntries(db)), ALL_ON);
    expect(rules.match({ upn: "x@corp.local", groups: [] }, { clientIp: "10.39.15.200" })?.value).toBe("10.39.15.0/24");
    expect(rules.match({ upn: "x@corp.local", groups: [] }, { clientIp: "10.40.0.1" })).toBeNull();
  });

  it("gives every different rule set a different version, so a cached compilation is never stale", async () => {
    const seen = new Map<string, string>();
    const remember = async () => {
      const version = (await ruleSetVersion(db));
      const values = (await loadRuleEntries(db)).map((r) => r.value).join(",");
      if (seen.has(version)) expect(seen.get(version)).toBe(values);
      seen.set(version, values);
    };
    await remember();
    const a = await add("clientIps", "10.0.0.1");
    await remember();
    const b = await add("clientIps", "10.0.0.2");
    await remember();
    if (b.ok) (await removeExclusionRule(db, b.rule.id));
    await remember();
    await add("clientIps", "10.0.0.3");
    await remember();
    if (a.ok) (await removeExclusionRule(db, a.rule.id));
    await remember();
    await add("clientIps", "10.0.0.4");
    await remember();
    // Seven states, six different sets: removing 10.0.0.2 brings back the set {10.0.0.1}, and its version.
    expect(seen.size).toBe(6);
  });
});
