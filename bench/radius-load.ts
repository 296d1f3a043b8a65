import crypto from "node:crypto";
import dgram from "node:dgram";
import { hotp } from "../lib/otp";
import { ATTR, CODE, encodeAccessRequest, encodeUserPassword, parsePacket, verifyResponse } from "../lib/radius/packet";
import type { LoadResult } from "./load";
import { percentileOfSorted } from "./lib/stats";

// The RADIUS twin of bench/load.ts, in its own process: `concurrency` workers, each keeping one PAP
// Access-Request (with Message-Authenticator, the project's own codec) outstanding on one UDP socket,
// each a token's next right passcode, for `seconds`. Prints the same JSON as load.ts. A request
// unanswered within 2 s counts as an error (UDP: no retransmission, so a loss shows as an error).

interface Job {
  host: string;
  port: number;
  secret: string;
  concurrency: number;
  seconds: number;
  tokens: { upn: string; secretHex: string; pin: string; counter: number }[];
}

const TIMEOUT_MS = 2000;
const job = JSON.parse(process.argv[2]) as Job;
const socket = dgram.createSocket("udp4");
const latencies: number[] = [];
const codes: Record<string, number> = {};
let errors = 0;
const KIND: Record<number, string> = { [CODE.accessAccept]: "accept", [CODE.accessReject]: "reject", [CODE.accessChallenge]: "challenge" };

interface Pending {
  authenticator: Buffer;
  resolve: (kind: string | null) => void;
}
const pending = new Map<number, Pending>();
// RADIUS identifiers are one byte: at most 256 requests in flight per socket.
const freeIds = Array.from({ length: 256 }, (_, i) => i);

socket.on("message", (datagram) => {
  const parsed = parsePacket(datagram);
  if (!parsed.ok) return;
  const waiting = pending.get(parsed.value.identifier);
  if (!waiting || !verifyResponse(parsed.value, { identifier: parsed.value.identifier, authenticator: waiting.authenticator }, job.secret)) return;
  waiting.resolve(KIND[parsed.value.code] ?? `code ${parsed.value.code}`);
});

function ask(username: string, password: string): Promise<string | null> {
  const identifier = freeIds.shift()!;
  const authenticator = crypto.randomBytes(16);
  const attributes = [
    { type: ATTR.userName, value: Buffer.from(username) },
    { type: ATTR.userPassword, value: encodeUserPassword(password, job.secret, authenticator) },
  ];
  const packet = encodeAccessRequest({ identifier, secret: job.secret, authenticator, attributes, messageAuthenticator: true });
  return new Promise((resolve) => {
    const done = (kind: string | null) => {
      clearTimeout(timer);
      pending.delete(identifier);
      freeIds.push(identifier);
      resolve(kind);
    };
    const timer = setTimeout(() => done(null), TIMEOUT_MS);
    pending.set(identifier, { authenticator, resolve: done });
    socket.send(packet, job.port, job.host);
  });
}

async function worker(index: number, deadline: number) {
  const mine = job.tokens.filter((_, i) => i % job.concurrency === index).map((t) => Object.assign(t, { secret: Buffer.from(t.secretHex, "hex") }));
  let turn = 0;
  while (performance.now() < deadline) {
    const t = mine[turn++ % mine.length];
    const started = performance.now();
    const kind = await ask(t.upn, t.pin + hotp(t.secret, t.counter++));
    if (kind === null) errors++;
    else {
      latencies.push(performance.now() - started);
      codes[kind] = (codes[kind] ?? 0) + 1;
    }
  }
}

async function main() {
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  await Promise.all(Array.from({ length: job.concurrency }, (_, i) => worker(i, deadline)));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const result: LoadResult = {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50ms: percentileOfSorted(sorted, 50),
    p99ms: percentileOfSorted(sorted, 99),
    codes,
    errors,
    counters: Object.fromEntries(job.tokens.map((t) => [t.upn, t.counter])),
  };
  console.log(JSON.stringify(result));
  socket.close();
}

void main();
