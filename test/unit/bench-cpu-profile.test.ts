import { describe, expect, it } from "vitest";
import { shortFile, summariseCpuProfile, type CpuProfile } from "../../bench/lib/cpu-profile";

// A hand-made profile: root → main → (hot, cold), plus idle and GC. Samples every 1 000 µs.
const profile: CpuProfile = {
  startTime: 0,
  endTime: 10_000,
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
    { id: 2, callFrame: { functionName: "main", url: "file:///repo/bench/app.ts", lineNumber: 9 } },
    { id: 3, callFrame: { functionName: "hot", url: "file:///repo/node_modules/better-sqlite3/lib/methods/wrappers.js", lineNumber: 0 } },
    { id: 4, callFrame: { functionName: "", url: "file:///repo/lib/otp/hotp.ts", lineNumber: 4 } },
    { id: 5, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
    { id: 6, callFrame: { functionName: "(garbage collector)", url: "", lineNumber: -1 } },
  ],
  // 10 samples: hot ×4, anonymous ×2, main ×1, idle ×2, GC ×1 (the first delta is the start offset, not counted).
  samples: [3, 3, 3, 3, 4, 4, 2, 5, 5, 6, 1],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe("CPU profile summary", () => {
  const md = summariseCpuProfile(profile, { top: 2, root: "/repo" });

  it("ranks functions by self time and shares them out of the busy (non-idle) time; no line numbers for TypeScript (tsx output lines)", () => {
    const rows = md.split("\n").filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toEqual([
      "| 1 | `hot` | `node_modules/better-sqlite3/lib/methods/wrappers.js:1` | 4.00 ms | 50.0 % |",
      "| 2 | `(anonymous)` | `lib/otp/hotp.ts` | 2.00 ms | 25.0 % |",
    ]);
  });

  it("states sampled, busy, idle and GC time", () => {
    expect(md).toContain("10.0 ms sampled, 8.00 ms busy (80.0 %); idle 20.0 %, garbage collector 10.0 %");
  });

  it("sums self time by file and package", () => {
    expect(md).toContain("| `node_modules/better-sqlite3/lib/methods/wrappers.js` | 4.00 ms | 50.0 % |");
    expect(md).toContain("| `lib/otp/hotp.ts` | 2.00 ms | 25.0 % |");
    expect(md).not.toContain("bench/app.ts` | 1.00"); // top 2 only
  });

  it("leaves out the first milliseconds when asked (process start)", () => {
    // Samples at 0, 1, 2 … ms: skipping 4 ms drops the four "hot" ones.
    const steady = summariseCpuProfile(profile, { top: 1, skipFirstMs: 4 });
    expect(steady).toContain("6.00 ms sampled");
    expect(steady).not.toContain("`hot`");
    expect(steady).toContain("| 1 | `(anonymous)` |");
  });

  it("falls back to hit counts when a profile has no samples", () => {
    const hits: CpuProfile = { startTime: 0, endTime: 4000, nodes: [{ id: 1, callFrame: { functionName: "f", url: "file:///x/a.js", lineNumber: 0 }, hitCount: 3 }, { id: 2, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 }, hitCount: 1 }] };
    expect(summariseCpuProfile(hits)).toContain("| 1 | `f` | `/x/a.js:1` | 3.00 ms | 100.0 % |");
  });

  it("names files short", () => {
    expect(shortFile("node:internal/streams/writable")).toBe("node:internal/streams/writable");
    expect(shortFile("file:///a/b/node_modules/fastify/lib/reply.js", "/a/b")).toBe("node_modules/fastify/lib/reply.js");
    expect(shortFile("", "/a")).toBe("(native)");
  });
});
