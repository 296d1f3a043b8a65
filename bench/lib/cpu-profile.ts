import { formatNumber } from "./results-md";

// Turns a V8 .cpuprofile (node --cpu-prof) into a markdown summary for RESULTS.md: where the
// sampled time went by function (self time) and by file. Pure: takes the parsed JSON.

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SummaryOptions {
  /** How many functions (and files) to list. */
  top?: number;
  /** Paths under this directory are shown relative to it. */
  root?: string;
  /** Leave out the samples of the first milliseconds (process start, module loading) to summarise the steady state. */
  skipFirstMs?: number;
}

/** V8's pseudo-frames, kept apart from the code's own time. */
const PSEUDO = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** A short, stable place name: the repository's own files relative, a package by its name, node's own as node:… */
export function shortFile(url: string, root?: string): string {
  if (!url) return "(native)";
  let file = url.replace(/^file:\/\//, "");
  const nm = file.lastIndexOf("/node_modules/");
  if (nm !== -1) return file.slice(nm + 1);
  if (root && file.startsWith(`${root.replace(/\/$/, "")}/`)) file = file.slice(root.replace(/\/$/, "").length + 1);
  return file;
}

/** Self time per node in microseconds: the time deltas of the samples that landed in it (hit counts when there are no samples). */
function selfTimes(profile: CpuProfile, skipFirstMs = 0): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length && samples.length > 0) {
    // Sample i lasts until sample i+1 (timeDeltas[i+1]), as V8's DevTools count it.
    let at = 0;
    for (let i = 0; i < samples.length; i++) {
      at += timeDeltas[i];
      if (at < skipFirstMs * 1000) continue;
      const delta = timeDeltas[i + 1] ?? 0;
      self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, delta));
    }
    return self;
  }
  const total = profile.endTime - profile.startTime;
  const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  for (const node of profile.nodes) self.set(node.id, ((node.hitCount ?? 0) / hits) * total);
  return self;
}

interface Entry {
  label: string;
  file: string;
  us: number;
}

function addTo(map: Map<string, Entry>, key: string, label: string, file: string, us: number) {
  const e = map.get(key) ?? { label, file, us: 0 };
  e.us += us;
  map.set(key, e);
}

const pct = (part: number, whole: number) => `${whole > 0 ? ((part / whole) * 100).toFixed(1) : "0.0"} %`;
const ms = (us: number) => `${formatNumber(us / 1000)} ms`;
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;

export function summariseCpuProfile(profile: CpuProfile, options: SummaryOptions = {}): string {
  const top = options.top ?? 15;
  const self = selfTimes(profile, options.skipFirstMs);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, Entry>();
  const files = new Map<string, Entry>();
  const pseudo = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node || us <= 0) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (PSEUDO.has(functionName)) {
      pseudo.set(functionName, (pseudo.get(functionName) ?? 0) + us);
      continue;
    }
    const file = shortFile(url, options.root);
    const name = functionName || "(anonymous)";
    // Line numbers in a profile are 0-based; in TypeScript run through tsx they are the transpiled output's, so left out.
    const line = url && !/\.tsx?$/.test(file) ? lineNumber + 1 : undefined;
    addTo(functions, `${name}@${file}:${line ?? ""}`, name, line === undefined ? file : `${file}:${line}`, us);
    addTo(files, file, file, file, us);
  }
  const busy = total - (pseudo.get("(idle)") ?? 0);
  const lines = [
    `CPU profile: ${ms(total)} sampled, ${ms(busy)} busy (${pct(busy, total)}); idle ${pct(pseudo.get("(idle)") ?? 0, total)}, ` +
      `garbage collector ${pct(pseudo.get("(garbage collector)") ?? 0, total)}, V8/native "(program)" ${pct(pseudo.get("(program)") ?? 0, total)}. Shares below are of the busy time.`,
    "",
    `| # | function (self time) | where | self | of busy |`,
    "|---|---|---|---|---|",
  ];
  const ranked = [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top);
  ranked.forEach((e, i) => lines.push(`| ${i + 1} | ${code(e.label)} | ${code(e.file)} | ${ms(e.us)} | ${pct(e.us, busy)} |`));
  lines.push("", "| file or package (self time) | self | of busy |", "|---|---|---|");
  for (const e of [...files.values()].sort((a, b) => b.us - a.us).slice(0, top)) lines.push(`| ${code(e.file)} | ${ms(e.us)} | ${pct(e.us, busy)} |`);
  return lines.join("\n");
}
