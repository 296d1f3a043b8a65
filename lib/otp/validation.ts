import { findCounter, nearestFirst, range, ring, timeStepAt, type OtpAlgorithm } from "./index";

// SafeNet's validation arithmetic, pure: how a passcode splits into PIN and OTP, and where an OTP
// falls relative to a token's counters (inside the window, already used, in the outer window).

export interface PinRules {
  pinMode: "server" | "token";
  pinPosition: "prefix" | "suffix";
}

/** PIN and OTP from a passcode; in `token` PIN mode the PIN never reaches the server. */
export function splitPasscode(passcode: string, otpLength: number, rules: PinRules): { pin: string; otp: string } {
  if (rules.pinMode === "token") return { pin: "", otp: passcode };
  if (passcode.length < otpLength) return { pin: "", otp: passcode };
  const cut = rules.pinPosition === "prefix" ? passcode.length - otpLength : otpLength;
  return rules.pinPosition === "prefix"
    ? { pin: passcode.slice(0, cut), otp: passcode.slice(cut) }
    : { otp: passcode.slice(0, cut), pin: passcode.slice(cut) };
}

export interface TokenCounters {
  mode: "time" | "event";
  secret: Uint8Array;
  digits: number;
  algorithm: OtpAlgorithm;
  stepSeconds: number;
  /** Event tokens: the next counter expected. */
  counter: number;
  /** Time tokens: the last step accepted, and the token's clock offset in steps. */
  lastStep: number | null;
  driftSteps: number;
}

export interface Windows {
  timeDriftSteps: number;
  lookAheadWindow: number;
  outerWindow: number;
}

export type OtpMatch =
  | { kind: "match"; at: number }
  | { kind: "replayed"; at: number }
  | { kind: "outer"; at: number }
  | { kind: "none" };

const isDigits = (s: string) => /^[0-9]+$/.test(s);

/** Where `otp` falls for this token at `nowSeconds`. `at` is a counter (event) or a step (time). */
export function locateOtp(t: TokenCounters, otp: string, nowSeconds: number, w: Windows): OtpMatch {
  if (otp.length !== t.digits || !isDigits(otp)) return { kind: "none" };
  const find = (counters: Iterable<number>) => findCounter(t.secret, otp, counters, t.digits, t.algorithm);
  if (t.mode === "event") {
    const inner = find(range(t.counter, t.counter + w.lookAheadWindow));
    if (inner !== null) return { kind: "match", at: inner };
    // Looking back as far as the outer window: an old answer re-sent must hear "replayed", not count as a wrong code.
    const used = find(range(Math.max(0, t.counter - Math.max(w.lookAheadWindow, w.outerWindow)), t.counter - 1));
    if (used !== null) return { kind: "replayed", at: used };
    const outer = find(range(t.counter + w.lookAheadWindow + 1, t.counter + w.outerWindow));
    return outer !== null ? { kind: "outer", at: outer } : { kind: "none" };
  }
  const expected = timeStepAt(nowSeconds, t.stepSeconds) + t.driftSteps;
  const inner = find(nearestFirst(expected, w.timeDriftSteps));
  if (inner !== null) {
    return t.lastStep !== null && inner <= t.lastStep ? { kind: "replayed", at: inner } : { kind: "match", at: inner };
  }
  const fresh = (steps: Iterable<number>) => filter(steps, (s) => t.lastStep === null || s > t.lastStep);
  const outer = find(fresh(ring(expected, w.timeDriftSteps, w.outerWindow)));
  return outer !== null ? { kind: "outer", at: outer } : { kind: "none" };
}

/**
 * The second half of an outer-window resynchronisation: the code must be the one right after
 * `previous` (for time tokens one more step may have passed while the user waited).
 */
export function locateNext(t: TokenCounters, otp: string, previous: number): number | null {
  if (otp.length !== t.digits || !isDigits(otp)) return null;
  const next = t.mode === "event" ? [previous + 1] : [previous + 1, previous + 2];
  return findCounter(t.secret, otp, next, t.digits, t.algorithm);
}

/** Two consecutive codes anywhere in the outer window: where the token really is. */
export function locatePair(t: TokenCounters, otp1: string, otp2: string, nowSeconds: number, outerWindow: number): number | null {
  if (otp1.length !== t.digits || !isDigits(otp1) || !isDigits(otp2)) return null;
  const candidates =
    t.mode === "event"
      ? range(t.counter, t.counter + outerWindow)
      : nearestFirst(timeStepAt(nowSeconds, t.stepSeconds), outerWindow);
  for (const c of candidates) {
    const first = findCounter(t.secret, otp1, [c], t.digits, t.algorithm);
    if (first !== null && findCounter(t.secret, otp2, [c + 1], t.digits, t.algorithm) !== null) return c + 1;
  }
  return null;
}

/**
 * The counters a token keeps after a code at `at` was accepted. A time token's clock offset moves
 * only on resynchronisation, so the ±drift window stays centred where the last resync put it.
 */
export function advance(
  t: TokenCounters,
  at: number,
  nowSeconds: number,
  resync = false,
): Pick<TokenCounters, "counter" | "lastStep" | "driftSteps"> {
  if (t.mode === "event") return { counter: at + 1, lastStep: t.lastStep, driftSteps: t.driftSteps };
  const driftSteps = resync ? at - timeStepAt(nowSeconds, t.stepSeconds) : t.driftSteps;
  return { counter: t.counter, lastStep: at, driftSteps };
}

function* filter<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}
