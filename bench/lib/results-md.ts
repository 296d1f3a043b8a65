import type { BenchResult, BenchRow, Budget } from "./result";
import { summarise } from "./stats";

// Renders the "Latest run" section of bench/RESULTS.md from the benchmarks' JSON results, and puts
// it in place of the previous one. Pure functions: bench/run-all.ts does the I/O.

export const SECTION_START = "<!-- latest-run:start (written by bench/run-all.ts; edits here are replaced) -->";
export const SECTION_END = "<!-- latest-run:end -->";

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  /** 1-minute load average when the run started and when it ended. */
  loadBefore: number;
  loadAfter: number;
}

/** A benchmark that gave no figures: its file is missing, it was skipped, or it failed. */
export interface BenchProblem {
  bench: string;
  status: "missing" | "skipped" | "failed";
  reason: string;
  exitCode?: number | null;
  stderrTail?: string;
}

export interface BenchOutcome {
  result: BenchResult;
  wallSeconds: number;
}

export interface RunReport {
  /** ISO time the run started (UTC). */
  date: string;
  machine: MachineInfo;
  commit: string;
  command: string;
  wallSeconds: number;
  outcomes: BenchOutcome[];
  problems: BenchProblem[];
}

/** Figures with spaces between thousands, as the rest of RESULTS.md writes them; fewer decimals as they grow. */
export function formatNumber(value: number, unit = ""): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const decimals = unit === "ratio" ? 2 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const [whole, fraction] = Math.abs(value).toFixed(decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${value < 0 ? "−" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

const withUnit = (value: number, unit: string) => (unit === "ratio" || unit === "" ? formatNumber(value, unit) : `${formatNumber(value, unit)} ${unit}`);

export function budgetMet(median: number, budget: Budget | undefined): boolean | undefined {
  if (!budget) return undefined;
  return budget.op === "<=" ? median <= budget.value : median >= budget.value;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderRow(row: BenchRow): string {
  if (row.values.length === 0) return `| ${cell(row.group)} | ${cell(row.name)} | no values | — | 0 | ${row.budget ? `${row.budget.op} ${withUnit(row.budget.value, row.unit)}` : "—"} | ✗ |`;
  const s = summarise(row.values);
  const met = budgetMet(s.median, row.budget);
  const name = row.note ? `${row.name} (${row.note})` : row.name;
  const spread = `${formatNumber(s.min, row.unit)}–${formatNumber(s.max, row.unit)}`;
  const budget = row.budget ? `${row.budget.op === "<=" ? "≤" : "≥"} ${withUnit(row.budget.value, row.unit)}` : "—";
  const mark = met === undefined ? "—" : met ? "✓" : "✗";
  return `| ${cell(row.group)} | ${cell(name)} | ${withUnit(s.median, row.unit)} | ${spread} | ${s.runs} | ${budget} | ${mark} |`;
}

/** A benchmark's profile goes under the table: its headings are pushed below the section's own. */
function demoteHeadings(markdown: string): string {
  return markdown.replace(/^(#{1,3}) /gm, "#### ");
}

function renderMachine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpuModel}), ${formatNumber(m.ramGiB)} GiB RAM, Node ${m.node}; load average ${m.loadBefore.toFixed(2)} before, ${m.loadAfter.toFixed(2)} after`;
}

function renderProblems(problems: BenchProblem[]): string[] {
  if (problems.length === 0) return ["Every benchmark in the list ran."];
  const lines = ["Benchmarks without figures in this run:", ""];
  for (const p of problems) {
    const code = p.exitCode === undefined ? "" : `, exit code ${p.exitCode}`;
    lines.push(`- \`${p.bench}\` — ${p.status}${code}: ${p.reason}`);
    if (p.stderrTail) lines.push("", "  ```", ...p.stderrTail.split("\n").map((l) => `  ${l}`), "  ```");
  }
  return lines;
}

/** The whole "Latest run" section, markers included. */
export function renderLatestRun(report: RunReport): string {
  const lines = [
    SECTION_START,
    "## Latest run — `npm run bench`",
    "",
    `- date: ${report.date.replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC")}`,
    `- machine: ${renderMachine(report.machine)}`,
    `- commit: ${report.commit}`,
    `- command: \`${report.command}\``,
    `- total wall time: ${formatNumber(report.wallSeconds)} s (${report.outcomes.map((o) => `${o.result.bench} ${formatNumber(o.wallSeconds)} s`).join(", ") || "no benchmark ran"})`,
    "",
    "Medians over the runs shown (targets alternate within each run); spread is the lowest and highest run; percentiles within a run are nearest-rank (`bench/lib/stats.ts`).",
    "",
    "| group | measure | median | spread (min–max) | runs | budget | met? |",
    "|---|---|---|---|---|---|---|",
    ...report.outcomes.flatMap((o) => o.result.rows.map(renderRow)),
    "",
  ];
  for (const o of report.outcomes) {
    if (!o.result.profile) continue;
    lines.push(`### Where the time went — ${o.result.bench}`, "", `Reproduce: \`${o.result.command}\``, "", demoteHeadings(o.result.profile.trim()), "");
  }
  lines.push(...renderProblems(report.problems), "", SECTION_END);
  return lines.join("\n");
}

/**
 * Puts `section` in place of the previous Latest run section (between the markers), or, when there
 * is none, just above the first `## ` heading (under the title paragraph), so older sections stay below as history.
 */
export function replaceLatestRun(document: string, section: string): string {
  const start = document.indexOf(SECTION_START);
  const end = document.indexOf(SECTION_END);
  if (start !== -1 && end > start) return document.slice(0, start) + section + document.slice(end + SECTION_END.length);
  const firstHeading = document.search(/^## /m);
  if (firstHeading === -1) return `${document.replace(/\n*$/, "")}\n\n${section}\n`;
  return `${document.slice(0, firstHeading)}${section}\n\n${document.slice(firstHeading)}`;
}
