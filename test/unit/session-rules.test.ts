import { describe, expect, it } from "vitest";
import { afterPassword, needsRecheck, stepUpIsRecent, STEP_UP_MS, tokenFingerprint, type TokenLike } from "../../lib/auth/session-rules";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const tok = (serial: string, state: TokenLike["state"], lockedUntil: string | null = null): TokenLike => ({ serial, state, lockedUntil });

describe("what a right password opens", () => {
  it.each<[string, TokenLike[], string]>([
    ["no token", [], "enroll"],
    ["only a lost token", [tok("A", "Lost")], "enroll"],
    ["a token waiting for activation", [tok("A", "Assigned")], "enroll"],
    ["an inventory token", [tok("A", "Inventory")], "enroll"],
    ["an active token", [tok("A", "Active")], "pending"],
    ["an active token beside a locked one", [tok("A", "Locked", "2026-11-30T12:05:00Z"), tok("B", "Active")], "pending"],
    ["an active token beside a lost one", [tok("A", "Lost"), tok("B", "Active")], "pending"],
    ["a locked token", [tok("A", "Locked", "2026-11-30T12:05:00Z")], "refused"],
    ["a locked token beside a lost one", [tok("A", "Lost"), tok("B", "Locked", "2026-11-30T12:05:00Z")], "refused"],
    ["a suspended token", [tok("A", "Suspended")], "refused"],
    ["a suspended token beside one waiting for activation", [tok("A", "Suspended"), tok("B", "Assigned")], "refused"],
  ])("%s", (_what, tokens, session) => {
    expect(afterPassword(tokens, NOW).session).toBe(session);
  });

  it("answers a lock with SafeNet's message and when it ends", () => {
    const v = afterPassword([tok("A", "Locked", "2026-11-30T12:07:30Z")], NOW);
    expect(v).toEqual({ session: "refused", reason: "locked", message: expect.stringMatching(/^User's token is locked\. It unlocks by itself at 12:07 UTC/) });
  });

  it("answers a lock without an end with who can lift it", () => {
    const v = afterPassword([tok("A", "Locked", null)], NOW);
    expect(v).toMatchObject({ reason: "locked", message: "User's token is locked. Ask an administrator to unlock it." });
  });

  it("answers a suspension with SafeNet's message", () => {
    expect(afterPassword([tok("A", "Suspended")], NOW)).toMatchObject({ reason: "suspended", message: expect.stringMatching(/^User's token is suspended\./) });
  });
});

describe("the token fingerprint", () => {
  it("is the same whatever order SafeNet lists the tokens in", () => {
    expect(tokenFingerprint([tok("B", "Active"), tok("A", "Lost")])).toBe(tokenFingerprint([tok("A", "Lost"), tok("B", "Active")]));
  });

  it.each<[string, TokenLike[]]>([
    ["a state change", [tok("A", "Suspended")]],
    ["a token added", [tok("A", "Active"), tok("B", "Assigned")]],
    ["the token removed", []],
    ["another token in its place", [tok("C", "Active")]],
  ])("changes with %s", (_what, after) => {
    expect(tokenFingerprint(after)).not.toBe(tokenFingerprint([tok("A", "Active")]));
  });
});

describe("timing", () => {
  it("re-checks a session once the interval has passed", () => {
    expect(needsRecheck(NOW, NOW + 29_999, 30_000)).toBe(false);
    expect(needsRecheck(NOW, NOW + 30_000, 30_000)).toBe(true);
  });

  it("counts a step-up as recent for five minutes", () => {
    expect(stepUpIsRecent(null, NOW)).toBe(false);
    expect(stepUpIsRecent(NOW - STEP_UP_MS + 1, NOW)).toBe(true);
    expect(stepUpIsRecent(NOW - STEP_UP_MS, NOW)).toBe(false);
    expect(STEP_UP_MS).toBe(5 * 60_000);
  });
});
