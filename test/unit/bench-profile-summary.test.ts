import { describe, expect, it } from "vitest";
import { areaOf, summarizeCpuProfile, type CpuProfile } from "../../bench/lib/profile-summary";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });

describe("areaOf", () => {
  it("files frames under packages, Node, the app's build and V8's buckets", () => {
    expect(areaOf(frame("x", "file:///r/node_modules/next/dist/server/base-server.js"))).toBe("next");
    expect(areaOf(frame("x", "file:///r/node_modules/@scope/pkg/index.js"))).toBe("@scope/pkg");
    expect(areaOf(frame("x", "node:zlib"))).toBe("Node internals");
    expect(areaOf(frame("x", "file:///r/.next-b/server/chunks/ssr/app_page_1.js"))).toBe("portal build: app code");
    expect(areaOf(frame("(garbage collector)"))).toBe("(garbage collector)");
  });
});

describe("summarizeCpuProfile", () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)") },
      { id: 2, callFrame: frame("hot", "node:zlib") },
      { id: 3, callFrame: frame("cold", "file:///r/app.js") },
      { id: 4, callFrame: frame("(idle)") },
    ],
    startTime: 1000,
    endTime: 2000,
    // each sample lasts until the next one: hot 300 µs inside the window, cold 100 µs, idle 100 µs
    samples: [3, 2, 2, 3, 4, 2],
    timeDeltas: [0, 100, 200, 100, 100, 100],
  };
  it("sums self time per function inside the window only, idle apart", () => {
    const text = summarizeCpuProfile(profile, { fromMicros: 1100, toMicros: 1500, root: "/r" });
    expect(text).toContain("Within the measured window: 0 ms on the CPU, 0 ms idle.");
    expect(text).toMatch(/\| `hot node:zlib:1` \| 0\.3 \| 75\.0 \|/);
    expect(text).toMatch(/\| `cold app\.js:1` \| 0\.1 \| 25\.0 \|/);
  });
  it("falls back to the whole profile when no sample is in the window", () => {
    expect(summarizeCpuProfile(profile, { fromMicros: 0, toMicros: 10 })).toContain("Whole process");
  });
});
