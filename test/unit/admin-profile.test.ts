import { describe, expect, it } from "vitest";
import { origin, samplesIn, summariseProfile, type CpuProfile } from "../../bench/lib/admin-profile";

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 3, 4] },
    { id: 2, callFrame: frame("(idle)") },
    { id: 3, callFrame: frame("renderToStream", "file:///w/node_modules/react-dom/cjs/server.js", 41) },
    { id: 4, callFrame: frame("all", "file:///w/node_modules/better-sqlite3/lib/methods/wrappers.js", 9) },
  ],
  startTime: 1_000,
  endTime: 2_000,
  // At 1100, 1200, …, 2000: idle twice, then react ×5, then sqlite ×3.
  samples: [2, 2, 3, 3, 3, 3, 3, 4, 4, 4],
  timeDeltas: Array(10).fill(100),
};

describe("samplesIn", () => {
  it("counts only the samples inside the window", () => {
    expect(samplesIn(profile).total).toBe(10);
    const w = samplesIn(profile, { from: 1_350, to: 1_850 });
    expect(w.total).toBe(5);
    expect(w.perNode.get(3)).toBe(4);
    expect(w.perNode.get(4)).toBe(1);
  });
});

describe("origin", () => {
  it("names the package, the build, our source or V8's pseudo-frame", () => {
    expect(origin("file:///w/node_modules/@next/env/x.js", "f")).toBe("@next/env");
    expect(origin("file:///w/node_modules/next/dist/server/x.js", "f")).toBe("next");
    expect(origin("file:///w/.next-c/server/chunks/ssr/abc.js", "f")).toBe("portal build (.next server chunks)");
    expect(origin("file:///w/db/queries/timeline.ts", "f")).toBe("db/queries/timeline.ts");
    expect(origin("node:internal/streams", "f")).toBe("node core");
    expect(origin("", "(garbage collector)")).toBe("(garbage collector)");
  });
});

describe("summariseProfile", () => {
  it("ranks functions and packages by self time with their share", () => {
    const md = summariseProfile(profile);
    expect(md).toMatch(/^10 samples in the window, 20\.0 % idle\./);
    const rows = md.split("\n").filter((l) => l.startsWith("| 50.0 %") || l.startsWith("| 30.0 %"));
    expect(rows[0]).toContain("`renderToStream` node_modules/react-dom/cjs/server.js:42");
    expect(rows[1]).toContain("`all`");
    expect(md).toContain("| 50.0 % | react-dom |");
    expect(md).toContain("| 30.0 % | better-sqlite3 |");
  });
  it("says so when no sample fell in the window", () => {
    expect(summariseProfile(profile, { from: 0, to: 10 })).toMatch(/No CPU samples/);
  });
});
