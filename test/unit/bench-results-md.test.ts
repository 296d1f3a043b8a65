import { describe, expect, it } from "vitest";
import { BENCHES, BUILD_BUDGET_SECONDS, selectBenches } from "../../bench/lib/bench-list";
import { formatNumber, renderLatestRun, renderRow, replaceLatestRun, SECTION_END, SECTION_START, type RunReport } from "../../bench/lib/results-md";

const report = (overrides: Partial<RunReport> = {}): RunReport => ({
  date: "2026-12-01T23:50:00.123Z",
  machine: { cores: 2, cpuModel: "Test CPU @ 2.0GHz", ramGiB: 24, node: "v20.20.0", loadBefore: 1.5, loadAfter: 2.25 },
  commit: "abc1234",
  command: "npm run bench",
  wallSeconds: 612.4,
  outcomes: [
    {
      wallSeconds: 130,
      result: {
        bench: "bench/validator.ts",
        command: "npx tsx bench/validator.ts --runs 3",
        rows: [
          { group: "Validator", name: "SQLite / bare", unit: "ratio", values: [0.61, 0.5, 0.72], budget: { op: ">=", value: 0.7 } },
          { group: "Validator", name: "SQLite p99", unit: "ms", values: [19.3, 21, 19.9], budget: { op: "<=", value: 20 } },
          { group: "Validator", name: "bare throughput", unit: "/s", values: [8325, 9920, 11061] },
        ],
        profile: "## top functions\n| function | self |\n|---|---|\n| commit | 40 % |",
      },
    },
  ],
  problems: [{ bench: "bench/admin-pages.ts", status: "missing", reason: "the file does not exist in this checkout" }],
  ...overrides,
});

describe("results table", () => {
  it("formats figures the way RESULTS.md does", () => {
    expect(formatNumber(9920)).toBe("9 920");
    expect(formatNumber(1234567.8)).toBe("1 234 568");
    expect(formatNumber(19.34)).toBe("19.3");
    expect(formatNumber(5.126)).toBe("5.13");
    expect(formatNumber(0.5, "ratio")).toBe("0.50");
  });

  it("marks a met budget ✓, a missed one ✗ and none —, from the median", () => {
    const [ratio, p99, bare] = report().outcomes[0].result.rows;
    expect(renderRow(ratio)).toBe("| Validator | SQLite / bare | 0.61 | 0.50–0.72 | 3 | ≥ 0.70 | ✗ |");
    expect(renderRow(p99)).toBe("| Validator | SQLite p99 | 19.9 ms | 19.3–21.0 | 3 | ≤ 20.0 ms | ✓ |");
    expect(renderRow(bare)).toBe("| Validator | bare throughput | 9 920 /s | 8 325–11 061 | 3 | — | — |");
  });

  it("marks a row without values as missed rather than crashing", () => {
    expect(renderRow({ group: "G", name: "n", unit: "ms", values: [], budget: { op: "<=", value: 1 } })).toContain("✗");
  });

  it("renders date, machine, commit, command, table, profile and the missing benchmark", () => {
    const md = renderLatestRun(report());
    expect(md.startsWith(SECTION_START)).toBe(true);
    expect(md.endsWith(SECTION_END)).toBe(true);
    expect(md).toContain("## Latest run — `npm run bench`");
    expect(md).toContain("2026-12-01 23:50:00 UTC");
    expect(md).toContain("2 cores (Test CPU @ 2.0GHz), 24.0 GiB RAM, Node v20.20.0; load average 1.50 before, 2.25 after");
    expect(md).toContain("commit: abc1234");
    expect(md).toContain("| group | measure | median | spread (min–max) | runs | budget | met? |");
    expect(md).toContain("### Where the time went — bench/validator.ts");
    // The profile's own heading must not end the section in a later replace.
    expect(md).toContain("#### top functions");
    expect(md).not.toMatch(/^## top functions/m);
    expect(md).toContain("`bench/admin-pages.ts` — missing: the file does not exist");
  });

  it("shows a failed benchmark's exit code and last stderr lines", () => {
    const md = renderLatestRun(report({ problems: [{ bench: "bench/timeline.ts", status: "failed", reason: "the benchmark exited with an error", exitCode: 1, stderrTail: "Error: boom\n  at main" }] }));
    expect(md).toContain("`bench/timeline.ts` — failed, exit code 1");
    expect(md).toContain("  Error: boom");
  });
});

describe("replacing the Latest run section", () => {
  const title = "# Benchmark results\n\nFigures from this repository's machines.\n\n";
  const history = "## Synthetic directory seeding\n\nold figures\n\n## Validator\n\nolder figures\n";

  it("goes under the title paragraph, above the history, the first time", () => {
    const out = replaceLatestRun(title + history, renderLatestRun(report()));
    expect(out.startsWith(title + SECTION_START)).toBe(true);
    expect(out.endsWith(history)).toBe(true);
  });

  it("replaces the previous Latest run and leaves the history as it was", () => {
    const first = replaceLatestRun(title + history, renderLatestRun(report({ commit: "old1111" })));
    const second = replaceLatestRun(first, renderLatestRun(report({ commit: "new2222" })));
    expect(second).toContain("new2222");
    expect(second).not.toContain("old1111");
    expect(second.split(SECTION_START)).toHaveLength(2);
    expect(second.endsWith(history)).toBe(true);
    expect(second.startsWith(title)).toBe(true);
  });

  it("appends to a file without sections", () => {
    const out = replaceLatestRun("# Benchmark results\n", "SECTION");
    expect(out).toBe("# Benchmark results\n\nSECTION\n");
  });
});

describe("choosing the benchmarks", () => {
  it("runs the default list, skips timeline and copy-to-postgres unless named, and rejects unknown names", () => {
    const all = selectBenches(BENCHES, [], []);
    expect(all.run.map((b) => b.name)).toEqual(["validator", "mfa-decision", "seed-directory", "start-time", "browser-flows", "page-weight", "admin-pages"]);
    expect(all.skipped.map((s) => s.spec.name)).toEqual(["timeline", "copy-to-postgres"]);
    expect(selectBenches(BENCHES, ["copy-to-postgres"], []).run.map((b) => b.name)).toEqual(["copy-to-postgres"]);
    expect(selectBenches(BENCHES, [], ["admin-pages"]).skipped.map((s) => s.spec.name)).toContain("admin-pages");
    expect(() => selectBenches(BENCHES, ["nope"], [])).toThrow(/Unknown benchmark nope/);
  });

  it("sizes the default run under 15 minutes on a fresh clone, build included", () => {
    const { run } = selectBenches(BENCHES, [], []);
    expect(BUILD_BUDGET_SECONDS + run.reduce((s, b) => s + b.budgetSeconds, 0)).toBeLessThan(15 * 60);
  });
});
