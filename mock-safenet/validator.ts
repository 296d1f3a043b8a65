import crypto from "node:crypto";
import type { Sql } from "../lib/runtime/sql";
import { parseLogonName } from "./directory";
import { notFound } from "./errors";
import { recordEvent } from "./events";
import type { Keyring } from "./keys";
import { readPolicy } from "./policy";
import * as q from "./hot-path";
import { countersOf, type TokenRow } from "./token-store";
import { afterFailure, effective } from "./token-states";
import { advance, locateNext, locateOtp, splitPasscode, type TokenCounters } from "../lib/otp/validation";
import {
  failureMessage,
  VALIDATION_CODES,
  type ValidationAnswer,
  type ValidationReason,
  type ValidationRequest,
} from "../lib/safenet/contract";

// The OTP validation service: the hot path. Each validation is one transaction holding the reads, the
// OTP arithmetic and the writes. The user's token rows are read FOR UPDATE (PostgreSQL), so concurrent
// validations of one user, in this instance or another on the same database, take turns and a code is
// accepted once only; SQLite's write lock does the same. On SQLite the validations of one event-loop
// turn share a commit (`batch`), each still atomic on its own; every answer waits for its commit.

const RESYNC_STATE_TTL_MS = 5 * 60 * 1000;

const failure = (reason: ValidationReason, serial?: string): ValidationAnswer => ({
  code: 0,
  result: VALIDATION_CODES[0].result,
  message: failureMessage(reason),
  reason,
  ...(serial && { serial }),
});

const success = (serial: string): ValidationAnswer => ({ code: 1, ...VALIDATION_CODES[1], serial });

const challenge = (serial: string, state: string): ValidationAnswer => ({ code: 5, ...VALIDATION_CODES[5], serial, state });

/** How a validation arrived when not over HTTP: the RADIUS front end names the node and the NAS. */
export interface ValidationVia {
  radius: { node: string; from: string; nasIp?: string; nasIdentifier?: string; callingStationId?: string };
}

export interface ValidatorDeps {
  db: Sql;
  keys: Keyring;
  defaultRepository: string;
}

export function makeValidator(d: ValidatorDeps) {
  async function findUser(tx: Sql, req: ValidationRequest) {
    const name = req.organization ?? d.defaultRepository;
    const repo = await q.repository(tx, name);
    if (!repo) throw notFound(`The user repository "${name}"`, { organization: name });
    const parsed = parseLogonName(req.username, repo);
    if (!parsed) return undefined;
    return parsed.upn !== undefined ? q.userByUpn(tx, repo.id, parsed.upn) : q.userBySam(tx, repo.id, parsed.sam);
  }

  async function decide(tx: Sql, userId: number, req: ValidationRequest, nowMs: number): Promise<ValidationAnswer> {
    const rows = await q.userTokens(tx, userId);
    if (rows.length === 0) return failure("no_token");
    const current: TokenRow[] = [];
    for (const r of rows) {
      const e = effective(r, nowMs);
      if (e !== r) await q.saveCounters(tx, e);
      current.push(e);
    }
    const active = current.filter((t) => t.state === "Active");
    if (active.length === 0) {
      const first = (state: string) => current.find((t) => t.state === state);
      const blocked = first("Locked") ?? first("Suspended") ?? current[0];
      const reason: ValidationReason = blocked.state === "Locked" ? "locked" : blocked.state === "Suspended" ? "suspended" : "not_active";
      return failure(reason, blocked.serial);
    }

    const p = await readPolicy(tx);
    const nowSec = nowMs / 1000;
    const pending = req.state ? await q.takeResync(tx, req.state) : undefined;
    // A state is good for one answer, within its lifetime, for the token that was challenged.
    if (req.state && (!pending || pending.expiresAt <= nowMs || !active.some((t) => t.id === pending.tokenId))) {
      return failure("wrong_otp");
    }
    const candidates = pending ? active.filter((t) => t.id === pending.tokenId) : active;

    const fail = async (t: TokenRow, reason: ValidationReason) => {
      await q.saveCounters(tx, { ...t, ...afterFailure(t, p.lockThreshold, p.lockDurationSeconds, nowMs) });
      return failure(reason, t.serial);
    };
    const accept = async (t: TokenRow, counters: TokenCounters, at: number, resync: boolean) => {
      await q.saveCounters(tx, { ...t, ...advance(counters, at, nowSec, resync), failCount: 0, lastUsedAt: nowMs });
      return success(t.serial);
    };

    for (const t of candidates) {
      const { pin, otp } = splitPasscode(req.passcode, t.otpLength, p);
      if (p.pinMode === "server" && !(t.pinSalt && t.pinHash && d.keys.pinMatches(t.pinSalt, pin, t.pinHash))) continue;
      const counters = countersOf(t, d.keys);
      if (pending) {
        const at = locateNext(counters, otp, pending.matched);
        return at === null ? fail(t, "wrong_otp") : accept(t, counters, at, true);
      }
      const found = locateOtp(counters, otp, nowSec, p);
      if (found.kind === "match") return accept(t, counters, found.at, false);
      // A replay proves the PIN and a once-valid code: it is refused, but not counted towards a lock.
      if (found.kind === "replayed") return failure("replayed", t.serial);
      if (found.kind === "outer") {
        const state = crypto.randomBytes(16).toString("base64url");
        await q.addResync(tx, state, t.id, found.at, nowMs + RESYNC_STATE_TTL_MS);
        return challenge(t.serial, state);
      }
      return fail(t, "wrong_otp");
    }
    // No token's PIN matched: every candidate takes the failure.
    let answer = failure("wrong_pin");
    for (const t of candidates) answer = await fail(t, "wrong_pin");
    return answer;
  }

  const run = async (tx: Sql, req: ValidationRequest, nowMs: number, via?: ValidationVia): Promise<ValidationAnswer> => {
    const user = await findUser(tx, req);
    const answer = user ? await decide(tx, user.id, req, nowMs) : failure("unknown_user");
    await recordEvent(
      tx,
      {
        type: "auth",
        user: user?.upn ?? req.username.trim().toLowerCase(),
        serial: answer.serial,
        result: answer.code === 1 ? "success" : answer.code === 5 ? "challenge" : "failure",
        code: answer.code,
        reason: answer.reason,
        clientIp: req.clientIp,
        detail: req.state || via ? { ...(req.state && { resync: true }), ...via } : null,
      },
      nowMs,
    );
    return answer;
  };

  return {
    /** Answers once the validation's writes are committed (on SQLite with those of its batch). */
    validate(req: ValidationRequest, nowMs = Date.now(), via?: ValidationVia): Promise<ValidationAnswer> {
      return d.db.transaction((tx) => run(tx, req, nowMs, via), { batch: true });
    },
  };
}

export type Validator = ReturnType<typeof makeValidator>;
