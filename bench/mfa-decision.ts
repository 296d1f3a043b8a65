import { parseArgs } from "node:util";
import { decide, type DecisionInput } from "../lib/mfa/decision";
import { compileRules, normalizeEntry, type ExclusionSettings, type ListKind, type RuleEntry } from "../lib/mfa/rules";
import { writeJsonResult, type BenchRow } from "./lib/result";
import { median, percentileOfSorted } from "./lib/stats";

// MFA decision cost: compile N mixed exclusion rules (a quarter per list; half the IPs ranges or
// CIDRs, both families; half the MACs wildcarded), then time decide() on a mix of matching and
// non-matching logons, each decision on its own clock. The rule counts take turns, run after run.
// Prints figures; never fails on time.
// Usage: npx tsx bench/mfa-decision.ts [decisions=1000000] [--runs 3] [--quick] [--json file]
// (decisions per rule count and run; --quick: 100 000, whatever the count given)

const { values: options, positionals } = parseArgs({
  options: { runs: { type: "string", default: "3" }, quick: { type: "boolean", default: false }, json: { type: "string" } },
  allowPositionals: true,
});
const DECISIONS = options.quick ? 100_000 : Number(positionals[0] ?? 1_000_000);
const RUNS = Number(options.runs);
const RULE_COUNTS = [0, 100, 10_000];

let seed = 42;
// mulberry32: small, seeded, evenly spread.
const rnd = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};
const hex = (n: number) => rnd(n).toString(16).padStart(2, "0");

function ruleTexts(count: number): [ListKind, string][] {
  const out: [ListKind, string][] = [];
  for (let i = 0; out.length < count; i++) {
    const [o2, o3, o4, g, h] = [rnd(4), rnd(256), rnd(256), rnd(4).toString(16), rnd(60000)];
    const ip = [
      `10.${o2}.${o3}.${o4}`,
      `10.${o2}.${o3}.${o4}-10.${o2}.${Math.min(255, o3 + 1)}.255`,
      `10.${o2}.${rnd(16) * 16}.0/${20 + rnd(9)}`,
      `2001:db8:${g}::${h.toString(16)}`,
      `2001:db8:${g}::${h.toString(16)}-2001:db8:${g}::${(h + rnd(500)).toString(16)}`,
      `2001:db8:${g}:${rnd(3)}::/64`,
    ][i % 6];
    out.push(
      ["users", i % 4 === 0 ? `CORP\\logon${i}` : i % 4 === 1 ? `Group ${i}` : `user${i}@corp.example`],
      ["clientIps", ip],
      ["macs", `02-${hex(4)}-${hex(256)}-${i % 2 ? "??" : hex(256)}-${hex(256)}-${i % 4 === 1 ? "??" : hex(256)}`],
      ["gateways", i % 2 ? `192.0.${rnd(4)}.${rnd(256)}` : `192.0.${rnd(4)}.${rnd(16) * 16}/28`],
    );
  }
  return out.slice(0, count);
}

function toEntries(texts: [ListKind, string][]): RuleEntry[] {
  return texts.map(([kind, text], i) => {
    const n = normalizeEntry(kind, text);
    if (!n.ok) throw new Error(n.error);
    return { id: i + 1, kind, value: n.value.value };
  });
}

/** 1 000 logons: users mostly not listed, connections from both families, some inside rules, some not. */
function logons(): Pick<DecisionInput, "user" | "connection">[] {
  return Array.from({ length: 1000 }, (_, i) => ({
    user: { upn: `user${rnd(20000)}@corp.example`, groups: [`Group ${rnd(20000)}`, "Domain Users"], safenetAccount: true, tokens: [{ serial: `${1000 + i}`, state: "Active" as const }] },
    connection: {
      clientIp: i % 3 ? `10.${rnd(8)}.${rnd(256)}.${rnd(256)}` : `2001:db8:${rnd(8)}::${rnd(65536).toString(16)}`,
      clientMac: `02:${hex(8)}:${hex(256)}:${hex(256)}:${hex(256)}:${hex(256)}`,
      gateway: `192.0.${rnd(8)}.${rnd(256)}`,
    },
  }));
}

function run(ruleCount: number) {
  const exclusions: ExclusionSettings = { defaultMode: "mfa", enabled: { users: true, clientIps: true, macs: true, gateways: true } };
  const entries = toEntries(ruleTexts(ruleCount));
  const c0 = process.hrtime.bigint();
  const rules = compileRules(entries, exclusions, { CORP: "corp.example" });
  const compileMs = Number(process.hrtime.bigint() - c0) / 1e6;
  const inputs: DecisionInput[] = logons().map((l) => ({ provider: "safenet", mode: "mandatory", exclusions, rules, ...l }));
  const excluded = inputs.filter((inp) => decide(inp).code === "excluded").length;

  const ns = new Float64Array(DECISIONS);
  let sink = 0;
  for (let i = 0; i < DECISIONS; i++) {
    const input = inputs[i % inputs.length];
    const t0 = process.hrtime.bigint();
    sink += decide(input).trace.length;
    ns[i] = Number(process.hrtime.bigint() - t0);
  }
  ns.sort();
  const at = (q: number) => percentileOfSorted(ns, q * 100);
  const mean = ns.reduce((a, b) => a + b, 0) / ns.length;
  return { ruleCount, compileMs, excludedShare: excluded / inputs.length, mean, p50: at(0.5), p99: at(0.99), p999: at(0.999), sink };
}

/** What the clock itself adds to each sample: two back-to-back hrtime.bigint() calls, median of 100 000. */
function timerCost(): number {
  const ns = new Float64Array(100_000);
  for (let i = 0; i < ns.length; i++) {
    const t0 = process.hrtime.bigint();
    ns[i] = Number(process.hrtime.bigint() - t0);
  }
  return ns.sort()[ns.length >> 1];
}

const us = (ns: number) => `${(ns / 1000).toFixed(2).padStart(7)} µs`;
const results: ReturnType<typeof run>[][] = RULE_COUNTS.map(() => []);
console.log(`${DECISIONS.toLocaleString("en")} decisions per rule count and run, each timed on its own; the clock adds ${timerCost()} ns to every sample`);
console.log("run   rules   compile    excluded        mean         p50         p99       p99.9");
for (let r = 1; r <= RUNS; r++) {
  RULE_COUNTS.forEach((count, i) => {
    const x = run(count);
    results[i].push(x);
    console.log(
      `${String(r).padStart(3)}  ${String(x.ruleCount).padStart(6)}  ${x.compileMs.toFixed(1).padStart(6)} ms  ${(x.excludedShare * 100).toFixed(0).padStart(6)} %  ` +
        `${us(x.mean)}  ${us(x.p50)}  ${us(x.p99)}  ${us(x.p999)}`,
    );
  });
}

const rows: BenchRow[] = RULE_COUNTS.flatMap((count, i) => {
  const group = "MFA decision";
  const of = (f: (x: ReturnType<typeof run>) => number) => results[i].map(f);
  const label = `${count.toLocaleString("en").replace(/,/g, " ")} rules`;
  return [
    { group, name: `${label}: decide() p50`, unit: "µs", values: of((x) => x.p50 / 1000), note: `${DECISIONS.toLocaleString("en").replace(/,/g, " ")} decisions a run` },
    { group, name: `${label}: decide() p99`, unit: "µs", values: of((x) => x.p99 / 1000) },
    ...(count > 0 ? [{ group, name: `${label}: compile`, unit: "ms", values: of((x) => x.compileMs) }] : []),
  ];
});
console.log(`median p50 at 10 000 rules: ${median(results[2].map((x) => x.p50 / 1000)).toFixed(2)} µs`);
writeJsonResult(options.json, { bench: "bench/mfa-decision.ts", command: `npx tsx bench/mfa-decision.ts ${DECISIONS} --runs ${RUNS}`, rows });
