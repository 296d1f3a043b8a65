// Where one browser flow's time went, from the network requests the page made between the submit
// and the next page being ready: a span per kind of request, the time some request was on the wire,
// and the rest (the browser's own work: scripts, rendering, and waiting between requests).

/** One finished request, in epoch milliseconds as the browser timed it (Playwright's request.timing()). */
export interface TimedRequest {
  method: string;
  /** Path and query, without the origin. */
  path: string;
  /** Playwright's resourceType: document, script, stylesheet, fetch, xhr, … */
  type: string;
  /** Whether it carried Next's `rsc` header or `_rsc` query (a client navigation or refresh). */
  rsc: boolean;
  /** Whether it carried a `next-action` header (a server action). */
  action: boolean;
  start: number;
  end: number;
}

/** Groups a request under a name that reads in a table: the auth call, the document, the chunks. */
export function requestKind(r: TimedRequest): string {
  const path = r.path.split("?")[0];
  if (r.action) return `server action POST ${path}`;
  if (r.type === "document") return `document ${r.method} ${path}`;
  if (r.rsc) return `RSC ${r.method} ${path}`;
  if (r.type === "script") return "JS chunks";
  if (r.type === "stylesheet") return "CSS";
  if (path.startsWith("/api/")) return `${r.method} ${path}`;
  return `other ${r.type}`;
}

/** The total length of the union of [start, end] intervals. */
export function unionLength(intervals: readonly { start: number; end: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const { start, end } of sorted) {
    if (start > to) {
      if (to > from) total += to - from;
      from = start;
      to = end;
    } else to = Math.max(to, end);
  }
  if (to > from) total += to - from;
  return total;
}

export interface Breakdown {
  total: number;
  /** Per kind: from its first request's start to its last request's end, in ms. */
  spans: Record<string, number>;
  /** Time at least one request was in flight. */
  network: number;
  /** The rest: the browser's work and waiting between requests. */
  browser: number;
}

/**
 * The breakdown of one flow that took `total` ms, from the requests the page made between the submit
 * and ready (chosen by the order they were issued in, since the page's clock and the network's are
 * not the same clock: only their durations and their order on the network's clock are used).
 */
export function breakDown(requests: readonly TimedRequest[], total: number): Breakdown {
  const spans: Record<string, number> = {};
  const byKind = new Map<string, TimedRequest[]>();
  for (const r of requests) byKind.set(requestKind(r), [...(byKind.get(requestKind(r)) ?? []), r]);
  for (const [kind, list] of byKind) spans[kind] = Math.max(...list.map((r) => r.end)) - Math.min(...list.map((r) => r.start));
  const network = Math.min(unionLength(requests), total);
  return { total, spans, network, browser: total - network };
}
