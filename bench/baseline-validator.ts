import crypto from "node:crypto";
import http from "node:http";
import { advance, locateOtp, splitPasscode, type TokenCounters } from "../lib/otp/validation";

// The yardstick for the validator benchmark: a bare node:http server doing the same work from
// memory — parse the JSON, find the user, check the peppered PIN HMAC, walk the OTP window,
// move the counter — with nothing durable. Tokens arrive on stdin as JSON lines.

interface MemToken extends TokenCounters {
  serial: string;
  salt: Buffer;
  pinHash: Buffer;
  failCount: number;
}

const pepper = crypto.randomBytes(32);
const pinHash = (salt: Buffer, pin: string) => crypto.createHmac("sha256", pepper).update(salt).update(pin).digest();
const users = new Map<string, MemToken>();
const windows = { timeDriftSteps: 1, lookAheadWindow: 10, outerWindow: 100 };
const rules = { pinMode: "server" as const, pinPosition: "prefix" as const };

function validate(body: { username?: string; passcode?: string }) {
  if (typeof body.username !== "string" || typeof body.passcode !== "string") return { status: 400, answer: { error: "bad input" } };
  const t = users.get(body.username.toLowerCase());
  if (!t) return { status: 200, answer: { code: 0, result: "AUTH_FAILURE", reason: "unknown_user" } };
  const { pin, otp } = splitPasscode(body.passcode, t.digits, rules);
  const actual = pinHash(t.salt, pin);
  if (!crypto.timingSafeEqual(actual, t.pinHash)) {
    t.failCount++;
    return { status: 200, answer: { code: 0, result: "AUTH_FAILURE", reason: "wrong_pin", serial: t.serial } };
  }
  const found = locateOtp(t, otp, Date.now() / 1000, windows);
  if (found.kind !== "match") {
    t.failCount++;
    return { status: 200, answer: { code: 0, result: "AUTH_FAILURE", reason: found.kind === "replayed" ? "replayed" : "wrong_otp", serial: t.serial } };
  }
  Object.assign(t, advance(t, found.at, Date.now() / 1000), { failCount: 0 });
  return { status: 200, answer: { code: 1, result: "AUTH_SUCCESS", message: "SafeNet authentication OK.", serial: t.serial } };
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let result;
    try {
      result = validate(JSON.parse(Buffer.concat(chunks).toString()));
    } catch {
      result = { status: 400, answer: { error: "invalid json" } };
    }
    res.writeHead(result.status, { "content-type": "application/json" });
    res.end(JSON.stringify(result.answer));
  });
});

let input = "";
process.stdin.on("data", (d: Buffer) => (input += d.toString()));
process.stdin.on("end", () => {
  for (const line of input.split("\n").filter(Boolean)) {
    const t = JSON.parse(line) as { upn: string; serial: string; secretHex: string; pin: string; counter: number };
    const salt = crypto.randomBytes(16);
    users.set(t.upn, {
      serial: t.serial,
      mode: "event",
      secret: Buffer.from(t.secretHex, "hex"),
      digits: 6,
      algorithm: "SHA1",
      stepSeconds: 30,
      counter: t.counter,
      lastStep: null,
      driftSteps: 0,
      salt,
      pinHash: pinHash(salt, t.pin),
      failCount: 0,
    });
  }
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const { port } = server.address() as { port: number };
    console.log(`listening ${port}`);
  });
});
