// A V8 CPU profile (node --cpu-prof's .cpuprofile) as a markdown summary: self time per function and
// per area (a package, Node's internals, the app's bundle), over a window of the process's monotonic
// clock — the same clock as process.hrtime() in another process on this machine — so that start-up
// is left out. bench/lib/cpu-profile.ts summarises whole profiles by file; this one adds the window
// and the areas, for the browser flows' portal process.

import type { CallFrame, CpuProfile as BaseCpuProfile } from "./cpu-profile";

/** A profile with its samples (node --cpu-prof always writes them; this summary needs their times). */
export type CpuProfile = BaseCpuProfile & { samples: number[]; timeDeltas: number[] };

export interface SummaryOptions {
  /** Window on the monotonic clock in µs; samples outside are left out (all, when it holds none). */
  fromMicros?: number;
  toMicros?: number;
  top?: number;
  /** The checkout, stripped from URLs so that names read short. */
  root?: string;
}

const META = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** The area a frame belongs to: a package, Node's internals, the app's bundle or a V8 bucket. */
export function areaOf(frame: CallFrame): string {
  if (META.has(frame.functionName)) return frame.functionName;
  const url = frame.url;
  if (!url) return "(native / V8)";
  if (url.startsWith("node:")) return "Node internals";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  const inBuild = /\/\.next[^/]*\/server\//.test(url);
  if (pkg && !inBuild) return pkg[1];
  if (inBuild) return /node_modules|\[externals\]|next\/dist|react-dom|react-server/.test(url) ? "portal build: bundled libraries" : "portal build: app code";
  return "other";
}

/** Self time (ms) per node id inside the window. */
function selfTimes(profile: CpuProfile, from: number, to: number): Map<number, number> {
  const self = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (t < from || t > to) continue;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + next / 1000);
  }
  return self;
}

const shortUrl = (url: string, root?: string) => (root ? url.replace(`file://${root}/`, "").replace(`${root}/`, "") : url);

export function summarizeCpuProfile(profile: CpuProfile, options: SummaryOptions = {}): string {
  const top = options.top ?? 15;
  let self = selfTimes(profile, options.fromMicros ?? -Infinity, options.toMicros ?? Infinity);
  const windowed = [...self.values()].some((v) => v > 0);
  if (!windowed) self = selfTimes(profile, -Infinity, Infinity);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)") {
      idle += ms;
      continue;
    }
    busy += ms;
    const name = `${frame.functionName || "(anonymous)"} ${frame.url ? `${shortUrl(frame.url, options.root)}:${frame.lineNumber + 1}` : ""}`.trim();
    fns.set(name, (fns.get(name) ?? 0) + ms);
    areas.set(areaOf(frame), (areas.get(areaOf(frame)) ?? 0) + ms);
  }
  const pct = (ms: number) => (busy ? ((100 * ms) / busy).toFixed(1) : "0.0");
  const lines = [
    `${windowed ? "Within the measured window" : "Whole process (no sample fell in the window)"}: ${busy.toFixed(0)} ms on the CPU, ${idle.toFixed(0)} ms idle.`,
    "",
    "| area | self ms | % of CPU |",
    "|---|---|---|",
    ...[...areas].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([a, ms]) => `| ${a} | ${ms.toFixed(0)} | ${pct(ms)} |`),
    "",
    "| function | self ms | % of CPU |",
    "|---|---|---|",
    ...[...fns].sort((a, b) => b[1] - a[1]).slice(0, top).map(([f, ms]) => `| \`${f.replace(/\|/g, "\\|")}\` | ${ms.toFixed(1)} | ${pct(ms)} |`),
  ];
  return lines.join("\n");
}
