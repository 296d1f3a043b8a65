import crypto from "node:crypto";
import { and, eq, notInArray, sql } from "drizzle-orm";
import type { SimDb } from "./db";
import { resyncStates, tokens } from "./db/schema";
import type { Directory, RepositoryRow } from "./directory";
import type { EventLog } from "./events";
import type { Keyring } from "./keys";
import type { PolicyStore } from "./policy";
import { countersOf, type TokenRow } from "./token-store";
import { afterFailure, effective } from "./token-states";
import { advance, locateNext, locateOtp, splitPasscode } from "../lib/otp/validation";

// The OTP validation service: the hot path. One IMMEDIATE transaction per request holds the reads,
// the OTP arithmetic and the writes, so concurrent requests (in this process or another) serialise
// and a code can be accepted once only.

export type Reason = "wrong_pin" | "wrong_otp" | "replayed" | "locked" | "suspended" | "not_active" | "no_token" | "unknown_user";

export interface ValidationRequest {
  username: string;
  passcode: string;
  state?: string;
  clientIp?: string;
  organization?: string;
}

export interface ValidationAnswer {
  code: 0 | 1 | 5;
  result: "AUTH_FAILURE" | "AUTH_SUCCESS" | "OUTER_WINDOW_AUTH";
  message: string;
  serial?: string;
  reason?: Reason;
  state?: string;
}

const RESYNC_STATE_TTL_MS = 5 * 60 * 1000;

const MESSAGES: Partial<Record<Reason, string>> = {
  locked: "User's token is locked.",
  suspended: "User's token is suspended.",
};

const failure = (reason: Reason, serial?: string): ValidationAnswer => ({
  code: 0,
  result: "AUTH_FAILURE",
  message: MESSAGES[reason] ?? "SafeNet authentication failed.",
  reason,
  ...(serial && { serial }),
});

const success = (serial: string): ValidationAnswer => ({ code: 1, result: "AUTH_SUCCESS", message: "SafeNet authentication OK.", serial });

export interface ValidatorDeps {
  db: SimDb;
  keys: Keyring;
  directory: Directory;
  policy: PolicyStore;
  events: EventLog;
  defaultRepository: () => RepositoryRow;
}

export function makeValidator(d: ValidatorDeps) {
  const userTokens = d.db
    .select()
    .from(tokens)
    .where(and(eq(tokens.userId, sql.placeholder("userId")), notInArray(tokens.state, ["Lost", "Inventory"])))
    .orderBy(tokens.id)
    .prepare();
  const pendingResync = d.db.select().from(resyncStates).where(eq(resyncStates.id, sql.placeholder("id"))).prepare();
  const dropResync = d.db.delete(resyncStates).where(eq(resyncStates.id, sql.placeholder("id"))).prepare();
  const update = (id: number, set: Partial<TokenRow>) => d.db.update(tokens).set(set).where(eq(tokens.id, id)).run();

  function decide(userId: number, req: ValidationRequest, nowMs: number): ValidationAnswer {
    const rows = userTokens.all({ userId });
    if (rows.length === 0) return failure("no_token");
    const current = rows.map((r) => {
      const e = effective(r, nowMs);
      if (e !== r) update(r.id, { state: e.state, failCount: 0, lockedUntil: null });
      return e;
    });
    const active = current.filter((t) => t.state === "Active");
    if (active.length === 0) {
      const first = (state: string) => current.find((t) => t.state === state);
      const blocked = first("Locked") ?? first("Suspended") ?? current[0];
      const reason: Reason = blocked.state === "Locked" ? "locked" : blocked.state === "Suspended" ? "suspended" : "not_active";
      return failure(reason, blocked.serial);
    }

    const p = d.policy.get();
    const nowSec = nowMs / 1000;
    const pending = req.state ? pendingResync.get({ id: req.state }) : undefined;
    if (req.state) {
      dropResync.run({ id: req.state });
      // A state is good for one answer, within its lifetime, for the token that was challenged.
      if (!pending || pending.expiresAt <= nowMs || !active.some((t) => t.id === pending.tokenId)) return failure("wrong_otp");
    }
    const candidates = pending ? active.filter((t) => t.id === pending.tokenId) : active;

    const fail = (t: TokenRow, reason: Reason) => {
      update(t.id, afterFailure(t, p.lockThreshold, p.lockDurationSeconds, nowMs));
      return failure(reason, t.serial);
    };

    for (const t of candidates) {
      const { pin, otp } = splitPasscode(req.passcode, t.otpLength, p);
      if (p.pinMode === "server" && !(t.pinSalt && t.pinHash && d.keys.pinMatches(t.pinSalt, pin, t.pinHash))) continue;
      const counters = countersOf(t, d.keys);
      if (pending) {
        const at = locateNext(counters, otp, pending.matched);
        if (at === null) return fail(t, "wrong_otp");
        update(t.id, { ...advance(counters, at, nowSec, true), failCount: 0, lastUsedAt: nowMs });
        return success(t.serial);
      }
      const found = locateOtp(counters, otp, nowSec, p);
      if (found.kind === "match") {
        update(t.id, { ...advance(counters, found.at, nowSec), failCount: 0, lastUsedAt: nowMs });
        return success(t.serial);
      }
      // A replay proves the PIN and a once-valid code: it is refused, but not counted towards a lock.
      if (found.kind === "replayed") return failure("replayed", t.serial);
      if (found.kind === "outer") {
        const state = crypto.randomBytes(16).toString("base64url");
        d.db.insert(resyncStates).values({ id: state, tokenId: t.id, matched: found.at, expiresAt: nowMs + RESYNC_STATE_TTL_MS }).run();
        return { code: 5, result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response.", serial: t.serial, state };
      }
      return fail(t, "wrong_otp");
    }
    // No token's PIN matched: every candidate takes the failure.
    let answer = failure("wrong_pin");
    for (const t of candidates) answer = fail(t, "wrong_pin");
    return answer;
  }

  const run = d.db.$client.transaction((req: ValidationRequest, nowMs: number): ValidationAnswer => {
    const repo = req.organization ? d.directory.repository(req.organization) : d.defaultRepository();
    const user = d.directory.findUser(repo, req.username);
    const answer = user ? decide(user.id, req, nowMs) : failure("unknown_user");
    d.events.record(
      {
        type: "auth",
        user: user?.upn ?? req.username.trim().toLowerCase(),
        serial: answer.serial,
        result: answer.code === 1 ? "success" : answer.code === 5 ? "challenge" : "failure",
        code: answer.code,
        reason: answer.reason,
        clientIp: req.clientIp,
        detail: req.state ? { resync: true } : null,
      },
      nowMs,
    );
    return answer;
  });

  return {
    validate(req: ValidationRequest, nowMs = Date.now()): ValidationAnswer {
      return run.immediate(req, nowMs);
    },
  };
}

export type Validator = ReturnType<typeof makeValidator>;
