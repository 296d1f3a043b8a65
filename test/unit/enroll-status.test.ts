import { describe, expect, it } from "vitest";
import { currentToken, refusal, statusOf, type EnrollmentSettings } from "../../lib/enroll/status";
import type { Token, User } from "../../lib/safenet/contract";

// Where a user stands in New Account Info, from every token state and setting that changes it.

const settings = (mode: EnrollmentSettings["mode"]): EnrollmentSettings => ({ provider: "safenet", mode, tokenType: "time", splitDelivery: false });

const token = (serial: string, state: Token["state"], createdAt = "2026-11-01T00:00:00Z"): Token => ({
  serial,
  type: "MobilePASS",
  otpMode: "time",
  otpLength: 6,
  state,
  user: "alice@corp.local",
  failCount: 0,
  lockedUntil: null,
  createdAt,
  activatedAt: null,
  lastUsedAt: null,
});

const user = (tokens: Token[], safenetAccount = true): User => ({
  upn: "alice@corp.local",
  displayName: "Alice",
  email: "alice@corp.local",
  groups: [],
  safenetAccount,
  tokens,
});

describe("statusOf", () => {
  it("sends a user without a SafeNet account to an administrator when MFA is mandatory, and nowhere when only account holders enroll", () => {
    expect(statusOf(user([], false), settings("mandatory"))).toEqual({ kind: "contact_admin", upn: "alice@corp.local" });
    expect(statusOf(user([], false), settings("account_only"))).toEqual({ kind: "not_applicable", upn: "alice@corp.local" });
    expect(statusOf(user([], false), settings("create_token")).kind).toBe("choose_pin");
  });

  it("prefers an Active token, then one waiting for activation, then a blocked one", () => {
    const all = [token("L", "Locked"), token("W", "Assigned"), token("A", "Active")];
    expect(statusOf(user(all), settings("create_token"))).toMatchObject({ kind: "active", token: { serial: "A" } });
    expect(statusOf(user(all.slice(0, 2)), settings("create_token"))).toMatchObject({ kind: "activate", token: { serial: "W" } });
    expect(statusOf(user([token("S", "Suspended")]), settings("create_token"))).toMatchObject({ kind: "blocked", token: { serial: "S", state: "Suspended" } });
  });

  it("lets a user whose tokens are all lost choose a PIN, naming the newest lost one", () => {
    const lost = [token("OLD", "Lost", "2026-10-01T00:00:00Z"), token("NEW", "Lost", "2026-11-01T00:00:00Z"), token("INV", "Inventory")];
    expect(statusOf(user(lost), settings("mandatory"))).toMatchObject({ kind: "choose_pin", lost: { serial: "NEW" } });
    expect(currentToken(user(lost))).toBeNull();
  });

  it("says why a PIN cannot be chosen in every other standing", () => {
    expect(refusal({ kind: "provider_none" })).toMatch(/switched off/);
    expect(refusal(statusOf(user([token("W", "Assigned")]), settings("mandatory")))).toBe("Token W already waits for activation. Activate it, or send a new activation.");
    expect(refusal(statusOf(user([token("S", "Locked")]), settings("mandatory")))).toMatch(/^Token S is Locked\. Ask an administrator/);
  });
});
