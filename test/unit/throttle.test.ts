import { describe, expect, it } from "vitest";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, accountKey, addressKey, afterFailure, afterSuccess, blockedFor, waitSentence, type ThrottleState } from "../../lib/auth/throttle";

describe("sign-in throttling", () => {
  it("treats every spelling of an account name as one account", () => {
    for (const name of ["alice", "ALICE", "CORP\\alice", "corp\\Alice", "alice@corp.local", " Alice@CORP.local "]) {
      expect(accountKey(name)).toBe("account:alice");
    }
    expect(addressKey("10.0.0.1")).toBe("address:10.0.0.1");
  });

  it("blocks an account at its fifth failure inside the window, for the block time", () => {
    const t0 = 1_000_000;
    let state: ThrottleState | undefined;
    for (let i = 0; i < ACCOUNT_LIMIT.maxFailures - 1; i++) {
      state = afterFailure(state, ACCOUNT_LIMIT, t0 + i);
      expect(blockedFor(state, t0 + i)).toBe(0);
    }
    state = afterFailure(state, ACCOUNT_LIMIT, t0 + 10);
    expect(blockedFor(state, t0 + 10)).toBe(ACCOUNT_LIMIT.blockMs);
    expect(blockedFor(state, t0 + 10 + ACCOUNT_LIMIT.blockMs)).toBe(0);
  });

  it("starts counting again once the window has passed", () => {
    const t0 = 5_000_000;
    let state = afterFailure(undefined, ADDRESS_LIMIT, t0);
    for (let i = 0; i < ADDRESS_LIMIT.maxFailures - 2; i++) state = afterFailure(state, ADDRESS_LIMIT, t0 + i);
    const later = afterFailure(state, ADDRESS_LIMIT, t0 + ADDRESS_LIMIT.windowMs + 1);
    expect(later).toEqual({ failures: 1, windowStart: t0 + ADDRESS_LIMIT.windowMs + 1, blockedUntil: null });
  });

  it("gives a right password's attempt back, without lifting a block other attempts earned", () => {
    const t0 = 9_000_000;
    let state: ThrottleState | undefined;
    for (let i = 0; i < 3; i++) state = afterFailure(state, ACCOUNT_LIMIT, t0);
    expect(afterSuccess(state, ACCOUNT_LIMIT)).toEqual({ failures: 2, windowStart: t0, blockedUntil: null });
    for (let i = 0; i < 3; i++) state = afterFailure(state, ACCOUNT_LIMIT, t0);
    expect(afterSuccess(state, ACCOUNT_LIMIT)).toMatchObject({ failures: 5, blockedUntil: t0 + ACCOUNT_LIMIT.blockMs });
    expect(afterSuccess(undefined, ACCOUNT_LIMIT)).toBeUndefined();
  });

  it("says how long to wait in whole minutes", () => {
    expect(waitSentence(61_000)).toContain("Wait 2 minutes");
    expect(waitSentence(30_000)).toContain("Wait 1 minute and");
  });
});
