import crypto from "node:crypto";
import type { SimDb } from "./db";
import { tokens } from "./db/schema";
import type { UserRow } from "./directory";
import { SafeNetError, badInput, wrongState } from "./errors";
import type { EventLog } from "./events";
import { newActivationKey, newSerial, type Keyring } from "./keys";
import type { PolicyStore } from "./policy";
import { countersOf, viewToken, type TokenStore, type TokenWithUser } from "./token-store";
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
  db: SimDb;
  keys: Keyring;
  policy: PolicyStore;
  events: EventLog;
  store: TokenStore;
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

export function makeTokens(d: Deps) {
  const issuer = `SafeNet (${d.repositoryName})`;

  function checkPin(pin: string | undefined, required: boolean): void {
    const p = d.policy.get();
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

  function provision(user: UserRow, input: ProvisionRequest): ProvisionAnswer {
    checkPin(input.pin, true);
    const p = d.policy.get();
    let serial = newSerial();
    while (d.store.exists(serial)) serial = newSerial();
    const shape = { serial, otpMode: input.otpMode, otpLength: p.otpLength, timeStepSeconds: p.timeStepSeconds };
    const { seedSealed, activation } = issueSeed(shape, user.upn);
    d.db.transaction((tx) => {
      tx.insert(tokens)
        .values({
          ...shape,
          type: input.type,
          algorithm: "SHA1",
          state: "Assigned",
          userId: user.id,
          seedSealed,
          ...pinFields(d.keys, input.pin),
          source: "provisioned",
          createdAt: Date.now(),
        })
        .run();
      d.events.record({ type: "token.provisioned", user: user.upn, serial, result: "success", detail: { otpMode: input.otpMode, type: input.type } });
    });
    return { token: viewToken(d.store.get(serial)), activation };
  }

  function guard(op: TokenOperation, row: TokenWithUser): TokenWithUser {
    const now = effective(row, Date.now());
    if (!allows(op, now.state)) throw wrongState(refusal(op, now.state), { state: now.state, operation: op });
    return now;
  }

  function record(op: string, row: TokenWithUser, result: "success" | "failure", detail?: Record<string, unknown>, reason?: string) {
    d.events.record({ type: `token.${op}`, user: row.upn, serial: row.serial, result, reason, detail });
  }

  function transition(serial: string, op: TokenOperation, set: (row: TokenWithUser) => Partial<TokenWithUser>): Token {
    const row = guard(op, d.store.get(serial));
    d.db.transaction(() => {
      d.store.update(row.id, set(row));
      record(op, row, "success", { from: row.state });
    });
    return viewToken(d.store.get(serial));
  }

  /** Verify before activate: the first right passcode moves an Assigned token to Active. */
  function activate(serial: string, passcode: string): Token {
    const row = guard("activate", d.store.get(serial));
    const p = d.policy.get();
    const { pin, otp } = splitPasscode(passcode, row.otpLength, p);
    const pinOk = p.pinMode === "token" || (row.pinSalt && row.pinHash && d.keys.pinMatches(row.pinSalt, pin, row.pinHash));
    const counters = countersOf(row, d.keys);
    const nowSec = Date.now() / 1000;
    const found = pinOk ? locateOtp(counters, otp, nowSec, p) : { kind: "none" as const };
    if (found.kind !== "match") {
      const reason = pinOk ? "wrong_otp" : "wrong_pin";
      record("activate", row, "failure", undefined, reason);
      throw badInput("The passcode is not right. Enter the PIN followed by the current one-time password from MobilePASS.", { passcode: reason });
    }
    const now = Date.now();
    d.db.transaction(() => {
      d.store.update(row.id, { ...advance(counters, found.at, nowSec), state: "Active", activatedAt: now, lastUsedAt: now, failCount: 0 });
      record("activate", row, "success");
    });
    return viewToken(d.store.get(serial));
  }

  function resync(serial: string, otp1: string, otp2: string): Token {
    const row = guard("resync", d.store.get(serial));
    const counters = countersOf(row, d.keys);
    const nowSec = Date.now() / 1000;
    const at = locatePair(counters, otp1, otp2, nowSec, d.policy.get().outerWindow);
    if (at === null) {
      record("resync", row, "failure", undefined, "wrong_otp");
      throw badInput("The two codes are not consecutive codes of this token. Enter two one-time passwords shown one after the other.", { otp1: "not_matched", otp2: "not_matched" });
    }
    d.db.transaction(() => {
      d.store.update(row.id, { ...advance(counters, at, nowSec, true), failCount: 0 });
      record("resync", row, "success");
    });
    return viewToken(d.store.get(serial));
  }

  function setPin(serial: string, pin: string) {
    checkPin(pin, true);
    const row = guard("pin", d.store.get(serial));
    // A "change" to the same PIN changes nothing, and would only tell the user (and mail them) that it did.
    if (row.pinSalt && row.pinHash && d.keys.pinMatches(row.pinSalt, pin, row.pinHash)) {
      record("pin", row, "failure", undefined, "same_pin");
      throw badInput("The new PIN is the same as the current one. Choose a different PIN.", { pin: "same_as_current" });
    }
    return transition(serial, "pin", () => pinFields(d.keys, pin));
  }

  function reissue(serial: string, pin?: string): ProvisionAnswer {
    if (pin !== undefined) checkPin(pin, false);
    const row = guard("reissue", d.store.get(serial));
    const { seedSealed, activation } = issueSeed(row, row.upn ?? row.serial);
    d.db.transaction(() => {
      d.store.update(row.id, {
        seedSealed,
        ...(pin !== undefined && pinFields(d.keys, pin)),
        state: "Assigned",
        counter: 0,
        lastStep: null,
        driftSteps: 0,
        failCount: 0,
        lockedUntil: null,
        activatedAt: null,
      });
      record("reissue", row, "success", { from: row.state });
    });
    return { token: viewToken(d.store.get(serial)), activation };
  }

  function remove(serial: string) {
    const row = d.store.get(serial);
    d.db.transaction(() => {
      d.store.remove(row.id);
      record("deleted", row, "success", { state: row.state });
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
