import http from "node:http";
import { hotp } from "../lib/otp";
import { percentileOfSorted } from "./lib/stats";

// A closed-loop load generator, run in its own process: `concurrency` workers, each owning a share
// of the tokens and sending each token's next HOTP code in turn, for `seconds`. Prints JSON figures
// and each token's next counter (so a following run goes on from there). With several `urls` (one
// per instance) each worker sends its requests to them in turn, so the load is spread evenly and a
// token's consecutive codes reach different instances (still one after the other).

/** What the generator prints: figures, and each token's next counter. */
export interface LoadResult {
  requests: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  codes: Record<string, number>;
  errors: number;
  counters: Record<string, number>;
}

interface Job {
  url: string;
  urls?: string[];
  headers: Record<string, string>;
  concurrency: number;
  seconds: number;
  tokens: { upn: string; secretHex: string; pin: string; counter: number }[];
}

const job = JSON.parse(process.argv[2]) as Job;
const targets = (job.urls ?? [job.url]).map((u) => new URL(u));
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
const latencies: number[] = [];
const codes: Record<string, number> = {};
let errors = 0;

function post(target: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { ...job.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function worker(index: number, deadline: number) {
  const mine = job.tokens.filter((_, i) => i % job.concurrency === index).map((t) => Object.assign(t, { secret: Buffer.from(t.secretHex, "hex") }));
  let turn = 0;
  while (performance.now() < deadline) {
    const t = mine[turn++ % mine.length];
    const body = JSON.stringify({ username: t.upn, passcode: t.pin + hotp(t.secret, t.counter++) });
    const target = targets[(index + turn) % targets.length];
    const started = performance.now();
    try {
      const res = await post(target, body);
      latencies.push(performance.now() - started);
      const key = res.status === 200 ? `code ${JSON.parse(res.text).code}` : `http ${res.status}`;
      codes[key] = (codes[key] ?? 0) + 1;
    } catch {
      errors++;
    }
  }
}

async function main() {
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  await Promise.all(Array.from({ length: job.concurrency }, (_, i) => worker(i, deadline)));
  const elapsed = (performance.now() - started) / 1000;
  // Nearest rank (bench/lib/stats.ts), as every benchmark states its percentiles.
  const sorted = Float64Array.from(latencies).sort();
  const pct = (p: number) => percentileOfSorted(sorted, p);
  const result: LoadResult = {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50ms: pct(50),
    p99ms: pct(99),
    codes,
    errors,
    counters: Object.fromEntries(job.tokens.map((t) => [t.upn, t.counter])),
  };
  console.log(JSON.stringify(result));
  agent.destroy();
}

void main();
