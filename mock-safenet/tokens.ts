import crypto from "node:crypto";
import type { Sql } from "../lib/runtime/sql";
import type { UserRow } from "./directory";
import { SafeNetError, badInput, wrongState } from "./errors";
import { makeEventLog, type EventLog } from "./events";
import { newActivationKey, newSerial, type Keyring } from "./keys";
import { makePolicyStore, type PolicyStore } from "./policy";
import { countersOf, makeTokenStore, viewToken, type TokenStore, type TokenWithUser } from "./token-store";
import { effective, resumedState } from "./token-states";
import { advance, locateOtp, locatePair, splitPasscode } from "../lib/otp/validation";
import { otpauthUri } from "../lib/otp";
import { writePskc } from "../lib/pskc";
import {
  allows,
  refusal,
  type Activation,
  type OtpMode,
  type Policy,
  type ProvisionAnswer,
  type ProvisionRequest,
  type Token,
  type TokenOperation,
} from "../lib/safenet/contract";

// Token management: provisioning with its one-time activation block, and every state transition.

export interface Deps {
  db: Sql;
  keys: Keyring;
  publicUrl: string;
  repositoryName: string;
}

/** A PIN the policy accepts, or the sentence that says what to change. */
export function pinProblem(pin: string, p: Policy): string | null {
  if (!/^[0-9]+$/.test(pin)) return "The PIN must contain digits only.";
  if (pin.length < p.pinMinLength || pin.length > p.pinMaxLength) {
    return p.pinMinLength === p.pinMaxLength
      ? `The PIN must be exactly ${p.pinMinLength} digits.`
      : `The PIN must be ${p.pinMinLength} to ${p.pinMaxLength} digits.`;
  }
  return null;
}

function pinFields(keys: Keyring, pin: string | undefined) {
  if (pin === undefined) return { pinSalt: null, pinHash: null };
  const pinSalt = crypto.randomBytes(16);
  return { pinSalt, pinHash: keys.pinHash(pinSalt, pin) };
}

/** A refusal decided inside a transaction whose writes (the failure's event) still commit; thrown after. */
class Refusal {
  constructor(readonly error: SafeNetError) {}
}

interface Parts {
  store: TokenStore;
  events: EventLog;
  policy: PolicyStore;
}

export function makeTokens(d: Deps) {
  const issuer = `SafeNet (${d.repositoryName})`;

  // Every operation is one transaction: the token row read under a lock (PostgreSQL: FOR UPDATE; SQLite:
  // the write lock), checked, changed and its event recorded, so two instances cannot both act on one state.
  async function op<T>(work: (s: Parts) => Promise<T | Refusal>): Promise<T> {
    const result = await d.db.transaction((tx) => work({ store: makeTokenStore(tx), events: makeEventLog(tx), policy: makePolicyStore(tx) }));
    if (result instanceof Refusal) throw result.error;
    return result;
  }

  async function checkPin(s: Parts, pin: string | undefined, required: boolean): Promise<void> {
    const p = await s.policy.get();
    if (pin === undefined) {
      if (required && p.pinMode === "server") throw badInput("A PIN is required: the policy keeps the PIN on the server.", { pin: "required" });
      return;
    }
    const problem = pinProblem(pin, p);
    if (problem) throw badInput(problem, { pin: problem });
  }

  /** A fresh seed and activation key for `row`; the block that carries them is returned only here. */
  function issueSeed(row: { serial: string; otpMode: OtpMode; otpLength: number; timeStepSeconds: number }, upn: string) {
    const seed = crypto.randomBytes(20);
    const activationKey = newActivationKey();
    const pskc = writePskc({
      serial: row.serial,
      algorithm: row.otpMode === "time" ? "totp" : "hotp",
      digits: row.otpLength,
      timeStepSeconds: row.otpMode === "time" ? row.timeStepSeconds : undefined,
      counter: row.otpMode === "event" ? 0 : undefined,
      userId: upn,
      issuer,
      secret: seed,
      password: activationKey,
    });
    const activation: Activation = {
      activationKey,
      seedFile: { filename: `${row.serial}.pskc`, contentType: "application/pskc+xml", base64: Buffer.from(pskc).toString("base64") },
      otpauthUri: otpauthUri({
        mode: row.otpMode,
        issuer,
        account: upn,
        secret: seed,
        digits: row.otpLength,
        stepSeconds: row.timeStepSeconds,
        counter: 0,
      }),
      downloadUrl: `${d.publicUrl}/TMSService/ClientDownload/MobilePASSWin.exe`,
    };
    return { seedSealed: d.keys.seal(seed, row.serial), activation };
  }

  function provision(user: UserRow, input: ProvisionRequest): Promise<ProvisionAnswer> {
    return op(async (s) => {
      await checkPin(s, input.pin, true);
      const p = await s.policy.get();
      let serial = newSerial();
      while (await s.store.exists(serial)) serial = newSerial();
      const shape = { serial, otpMode: input.otpMode, otpLength: p.otpLength, timeStepSeconds: p.timeStepSeconds };
      const { seedSealed, activation } = issueSeed(shape, user.upn);
      await s.store.insert({
        ...shape,
        type: input.type,
        algorithm: "SHA1",
        state: "Assigned",
        userId: user.id,
        seedSealed,
        ...pinFields(d.keys, input.pin),
        source: "provisioned",
        createdAt: Date.now(),
      });
      await s.events.record({ type: "token.provisioned", user: user.upn, serial, result: "success", detail: { otpMode: input.otpMode, type: input.type } });
      return { token: viewToken(await s.store.get(serial)), activation };
    });
  }

  function guard(op: TokenOperation, row: TokenWithUser): TokenWithUser {
    const now = effective(row, Date.now());
    if (!allows(op, now.state)) throw wrongState(refusal(op, now.state), { state: now.state, operation: op });
    return now;
  }

  const locked = (s: Parts, serial: string) => s.store.get(serial, { lock: true });

  function record(s: Parts, op: string, row: TokenWithUser, result: "success" | "failure", detail?: Record<string, unknown>, reason?: string) {
    return s.events.record({ type: `token.${op}`, user: row.upn, serial: row.serial, result, reason, detail });
  }

  /** Changes the guarded row as `set` says, records the operation, and answers the token as it now is. */
  async function change(s: Parts, op: string, row: TokenWithUser, set: Partial<TokenWithUser>, detail?: Record<string, unknown>): Promise<Token> {
    await s.store.update(row.id, set);
    await record(s, op, row, "success", detail);
    return viewToken(await s.store.get(row.serial));
  }

  function transition(serial: string, op: TokenOperation, set: (row: TokenWithUser) => Partial<TokenWithUser>): Promise<Token> {
    return guarded(serial, op, (s, row) => change(s, op, row, set(row), { from: row.state }));
  }

  function guarded<T>(serial: string, name: TokenOperation, work: (s: Parts, row: TokenWithUser) => Promise<T | Refusal>): Promise<T> {
    return op(async (s) => work(s, guard(name, await locked(s, serial))));
  }

  /** Verify before activate: the first right passcode moves an Assigned token to Active. */
  function activate(serial: string, passcode: string): Promise<Token> {
    return guarded(serial, "activate", async (s, row) => {
      const p = await s.policy.get();
      const { pin, otp } = splitPasscode(passcode, row.otpLength, p);
      const pinOk = p.pinMode === "token" || (row.pinSalt && row.pinHash && d.keys.pinMatches(row.pinSalt, pin, row.pinHash));
      const counters = countersOf(row, d.keys);
      const nowSec = Date.now() / 1000;
      const found = pinOk ? locateOtp(counters, otp, nowSec, p) : { kind: "none" as const };
      if (found.kind !== "match") {
        const reason = pinOk ? "wrong_otp" : "wrong_pin";
        await record(s, "activate", row, "failure", undefined, reason);
        return new Refusal(badInput("The passcode is not right. Enter the PIN followed by the current one-time password from MobilePASS.", { passcode: reason }));
      }
      const now = Date.now();
      return change(s, "activate", row, { ...advance(counters, found.at, nowSec), state: "Active", activatedAt: now, lastUsedAt: now, failCount: 0 });
    });
  }

  function resync(serial: string, otp1: string, otp2: string): Promise<Token> {
    return guarded(serial, "resync", async (s, row) => {
      const counters = countersOf(row, d.keys);
      const nowSec = Date.now() / 1000;
      const at = locatePair(counters, otp1, otp2, nowSec, (await s.policy.get()).outerWindow);
      if (at === null) {
        await record(s, "resync", row, "failure", undefined, "wrong_otp");
        return new Refusal(
          badInput("The two codes are not consecutive codes of this token. Enter two one-time passwords shown one after the other.", { otp1: "not_matched", otp2: "not_matched" }),
        );
      }
      return change(s, "resync", row, { ...advance(counters, at, nowSec, true), failCount: 0 });
    });
  }

  function setPin(serial: string, pin: string): Promise<Token> {
    return op(async (s) => {
      await checkPin(s, pin, true);
      const row = guard("pin", await locked(s, serial));
      // A "change" to the same PIN changes nothing, and would only tell the user (and mail them) that it did.
      if (row.pinSalt && row.pinHash && d.keys.pinMatches(row.pinSalt, pin, row.pinHash)) {
        await record(s, "pin", row, "failure", undefined, "same_pin");
        return new Refusal(badInput("The new PIN is the same as the current one. Choose a different PIN.", { pin: "same_as_current" }));
      }
      return change(s, "pin", row, pinFields(d.keys, pin), { from: row.state });
    });
  }

  function reissue(serial: string, pin?: string): Promise<ProvisionAnswer> {
    return op(async (s) => {
      if (pin !== undefined) await checkPin(s, pin, false);
      const row = guard("reissue", await locked(s, serial));
      const { seedSealed, activation } = issueSeed(row, row.upn ?? row.serial);
      const token = await change(
        s,
        "reissue",
        row,
        {
          seedSealed,
          ...(pin !== undefined && pinFields(d.keys, pin)),
          state: "Assigned",
          counter: 0,
          lastStep: null,
          driftSteps: 0,
          failCount: 0,
          lockedUntil: null,
          activatedAt: null,
        },
        { from: row.state },
      );
      return { token, activation };
    });
  }

  function remove(serial: string): Promise<void> {
    return op(async (s) => {
      const row = await locked(s, serial);
      await s.store.remove(row.id);
      await record(s, "deleted", row, "success", { state: row.state });
    });
  }

  return {
    provision,
    activate,
    resync,
    setPin,
    reissue,
    remove,
    suspend: (serial: string) => transition(serial, "suspend", () => ({ state: "Suspended" })),
    reactivate: (serial: string) => transition(serial, "reactivate", (r) => ({ state: resumedState(r.activatedAt), failCount: 0, lockedUntil: null })),
    unlock: (serial: string) => transition(serial, "unlock", () => ({ state: "Active", failCount: 0, lockedUntil: null })),
    revoke: (serial: string) => transition(serial, "revoke", () => ({ state: "Lost", lockedUntil: null })),
  };
}

export type Tokens = ReturnType<typeof makeTokens>;

export function assertNotInUse(conflict: boolean, serial: string): void {
  if (conflict) throw new SafeNetError(409, "token_exists", `A token with serial ${serial} already exists.`, { serial });
}
