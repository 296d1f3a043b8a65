// Summarises a V8 CPU profile (node --cpu-prof's .cpuprofile) as short markdown: where the
// samples of one time window went, by function (self time) and by package. Pure: the caller reads
// the file and says which window (the profile's clock is CLOCK_MONOTONIC in µs on Linux, the same
// clock as process.hrtime in any process, so a benchmark can mark the window from outside).

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Window {
  /** µs, CLOCK_MONOTONIC. */
  from: number;
  to: number;
}

/** Where a script lives, as a reader names it: the npm package, the Next build, our own source, or V8's pseudo-frames. */
export function origin(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (/\/\.next[^/]*\/server\/chunks\//.test(url) || /\/\.next[^/]*\/server\/app\//.test(url)) return "portal build (.next server chunks)";
  if (url.startsWith("node:")) return "node core";
  const ours = /\/(app|lib|db|scripts|mock-safenet)\/.+/.exec(url);
  return ours ? ours[0].slice(1) : url;
}

const short = (url: string) => (url ? url.replace(/^.*\/(node_modules|\.next[^/]*)\//, "$1/").replace(/^file:\/\//, "") : "");

/** The self-time samples in `window` (whole profile when absent), as counts per node id. */
export function samplesIn(profile: CpuProfile, window?: Window): { perNode: Map<number, number>; total: number } {
  const perNode = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (window && (t < window.from || t > window.to)) return;
    perNode.set(id, (perNode.get(id) ?? 0) + 1);
    total += 1;
  });
  return { perNode, total };
}

/** A markdown summary: the top functions by self time and the share per package, of the samples in `window`. */
export function summariseProfile(profile: CpuProfile, window?: Window, top = 10): string {
  const { perNode, total } = samplesIn(profile, window);
  if (total === 0) return "No CPU samples fell in the measured window.";
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, { label: string; n: number }>();
  const byOrigin = new Map<string, number>();
  let idle = 0;
  for (const [id, n] of perNode) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") idle += n;
    const key = `${functionName}|${url}|${lineNumber}`;
    const label = `\`${functionName || "(anonymous)"}\`${url ? ` ${short(url)}:${lineNumber + 1}` : ""}`;
    byFunction.set(key, { label, n: (byFunction.get(key)?.n ?? 0) + n });
    const o = origin(url, functionName);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + n);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
  const lines = [
    `${total} samples in the window, ${pct(idle)} idle.`,
    "",
    "| self time | function |",
    "|---|---|",
    ...[...byFunction.values()].sort((a, b) => b.n - a.n).slice(0, top).map((f) => `| ${pct(f.n)} | ${f.label} |`),
    "",
    "| self time | where |",
    "|---|---|",
    ...[...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, top).map(([o, n]) => `| ${pct(n)} | ${o} |`),
  ];
  return lines.join("\n");
}
