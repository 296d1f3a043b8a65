import { describe, expect, it } from "vitest";
import { answerExplanation, answerLine, countsTowardsLock, mayRetry, passcodeHint, passcodeProblem, type PasscodePolicy } from "../../lib/connect/answers";
import { attemptsSentence, remainingAttempts } from "../../lib/connect/attempts";
import { gatewayOptions, namesSelf } from "../../lib/connect/connection";
import { readTicket, signTicket } from "../../lib/connect/ticket";
import { decisionView } from "../../lib/connect/trace";
import { decide, type DecisionInput } from "../../lib/mfa/decision";
import { compileRules, type RuleEntry } from "../../lib/mfa/rules";

describe("remainingAttempts", () => {
  it.each([
    [0, 3, 3],
    [1, 3, 2],
    [2, 3, 1],
    [3, 3, 0],
    [7, 3, 0],
    [0, 100, 100],
  ])("failCount %i, threshold %i → %i left", (failCount, threshold, left) => {
    expect(remainingAttempts(failCount, threshold)).toBe(left);
  });

  it("is null (no lock) when the threshold is 0", () => {
    expect(remainingAttempts(5, 0)).toBeNull();
  });
});

describe("attemptsSentence", () => {
  const base = { serial: "ABCDEF0123456789", state: "Active", lockThreshold: 3, lockDurationSeconds: 600 };
  it("counts down, singular at one", () => {
    expect(attemptsSentence({ ...base, failCount: 1 })).toBe(
      "2 attempts left before token ABCDEF0123456789 locks (the policy locks a token after 3 wrong passcodes in a row).",
    );
    expect(attemptsSentence({ ...base, failCount: 2 })).toMatch(/^1 attempt left before/);
  });
  it("says the token is locked, and for how long, once none are left", () => {
    expect(attemptsSentence({ ...base, failCount: 3, state: "Locked" })).toBe(
      "No attempts left: token ABCDEF0123456789 is locked for 10 minutes after 3 wrong passcodes in a row; an administrator can unlock it sooner.",
    );
  });
  it("says there is no lock when the threshold is 0", () => {
    expect(attemptsSentence({ ...base, failCount: 9, lockThreshold: 0 })).toMatch(/^No lock: the policy's lock threshold is 0/);
  });
});

describe("SafeNet answers", () => {
  const ok = { code: 1, result: "AUTH_SUCCESS", message: "SafeNet authentication OK.", serial: "S" };
  const outer = { code: 5, result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response.", state: "x" };
  const fail = (reason: string, message = "SafeNet authentication failed.") => ({ code: 0, result: "AUTH_FAILURE", message, reason });

  it("shows code, result name and message on one line", () => {
    expect(answerLine(ok)).toBe("1 AUTH_SUCCESS — SafeNet authentication OK.");
    expect(answerLine(fail("locked", "User's token is locked."))).toBe("0 AUTH_FAILURE — User's token is locked.");
  });

  it("explains each reason with what to do next", () => {
    expect(answerExplanation(ok)).toMatch(/logon is complete/);
    expect(answerExplanation(ok, true)).toMatch(/resynchronised/);
    expect(answerExplanation(outer)).toMatch(/next code to resynchronise/);
    expect(answerExplanation(fail("replayed"))).toMatch(/already used/);
    expect(answerExplanation(fail("suspended"))).toMatch(/reactivate/);
    expect(answerExplanation(fail("something_new"))).toMatch(/refused the passcode/);
  });

  it("lets the user retry after wrong or replayed codes and code 5, not after a lock", () => {
    expect([fail("wrong_pin"), fail("wrong_otp"), fail("replayed"), outer].map(mayRetry)).toEqual([true, true, true, true]);
    expect([fail("locked"), fail("suspended"), fail("no_token"), ok].map(mayRetry)).toEqual([false, false, false, false]);
  });

  it("counts only wrong PINs and codes towards a lock (a replay does not)", () => {
    expect([fail("wrong_pin"), fail("wrong_otp"), fail("replayed"), fail("locked"), outer].map(countsTowardsLock)).toEqual([true, true, false, false, false]);
  });
});

describe("passcode hint and checks", () => {
  const policy: PasscodePolicy = { pinMode: "server", pinPosition: "prefix", pinMinLength: 4, pinMaxLength: 4, otpLength: 6 };
  it("follows the PIN position and lengths", () => {
    expect(passcodeHint(policy)).toBe("Enter your PIN (4 digits) followed by the 6-digit one-time password, with nothing in between.");
    expect(passcodeHint({ ...policy, pinPosition: "suffix", pinMaxLength: 8 })).toBe(
      "Enter the 6-digit one-time password followed by your PIN (4 to 8 digits), with nothing in between.",
    );
    expect(passcodeHint({ ...policy, pinMode: "token", otpLength: 8 })).toBe("Enter the 8-digit one-time password alone: with this policy the PIN stays in MobilePASS.");
  });
  it("refuses what cannot be right before it costs an attempt", () => {
    expect(passcodeProblem("4089123456", policy)).toBeNull();
    expect(passcodeProblem("", policy)).toMatch(/^Enter the passcode\./);
    expect(passcodeProblem("4089 12a456", policy)).toMatch(/digits only/);
    expect(passcodeProblem("123456", policy)).toMatch(/^The passcode should have 10 digits; this one has 6\./);
    expect(passcodeProblem("123456", { ...policy, pinMode: "token" })).toBeNull();
    expect(passcodeProblem("40891234567", { ...policy, pinMaxLength: 6 })).toBeNull();
  });
});

describe("decisionView", () => {
  const entries: RuleEntry[] = [
    { id: 3, kind: "clientIps", value: "10.20.0.0/16" },
    { id: 4, kind: "users", value: "MFA Exempt" },
  ];
  const input = (over: Partial<DecisionInput> = {}): DecisionInput => {
    const exclusions = over.exclusions ?? { defaultMode: "mfa", enabled: { users: true, clientIps: true, macs: true, gateways: true } };
    return {
      provider: "safenet",
      mode: "mandatory",
      exclusions,
      rules: compileRules(entries, exclusions),
      user: { upn: "alice@corp.local", groups: [], safenetAccount: true, tokens: [{ serial: "S1", state: "Active" }] },
      connection: { clientIp: "10.20.30.40" },
      ...over,
    };
  };

  it("names the rule that excluded the connection, linked for administrators only", () => {
    const d = decide(input());
    const admin = decisionView(d, { mode: "mandatory", isAdmin: true });
    expect(admin.title).toBe("Allowed without MFA");
    expect(admin.because).toBe("Excluded by rule #3: 10.20.0.0/16 in the client IP list.");
    expect(admin.rule).toEqual({
      id: 3,
      list: "client IP",
      value: "10.20.0.0/16",
      text: "Excluded by rule #3: 10.20.0.0/16 in the client IP list.",
      href: "/admin/exclusions?q=10.20.0.0%2F16",
    });
    expect(admin.rows.map((r) => `${r.check}: ${r.answer}`)).toEqual([
      "MFA provider is SafeNet: yes",
      "User or group rule matches: no",
      "Client IP rule matches: yes",
    ]);
    expect(decisionView(d, { mode: "mandatory", isAdmin: false }).rule?.href).toBeUndefined();
  });

  it("gives the reason for each way to be allowed without MFA", () => {
    const none = decisionView(decide(input({ provider: "none" })), { mode: "mandatory", isAdmin: false });
    expect(none.because).toBe("Provider None: no connection needs MFA.");
    expect(none.rows).toHaveLength(1);
    const noAccount = decide(input({ mode: "account_only", connection: {}, user: { upn: "erin@corp.local", groups: [], safenetAccount: false, tokens: [] } }));
    expect(decisionView(noAccount, { mode: "account_only", isAdmin: false }).because).toBe("No SafeNet account, in mode “Use only for users with a SafeNet account”.");
    const exclusions = { defaultMode: "none" as const, enabled: { users: true, clientIps: true, macs: true, gateways: true } };
    const byDefault = decide(input({ exclusions, connection: { clientIp: "192.0.2.25" } }));
    expect(decisionView(byDefault, { mode: "mandatory", isAdmin: false }).because).toBe("MFA for no connection by default, and no rule names this one.");
  });

  it("shows the OTP prompt, New Account Info and a denial with their titles", () => {
    const otp = decisionView(decide(input({ connection: {} })), { mode: "mandatory", isAdmin: false });
    expect([otp.title, otp.rows.at(-1)?.answer]).toEqual(["OTP prompt", "yes"]);
    const fresh = { upn: "new@corp.local", groups: [], safenetAccount: false, tokens: [] };
    expect(decisionView(decide(input({ mode: "create_token", connection: {}, user: fresh })), { mode: "create_token", isAdmin: false }).title).toBe("New Account Info");
    const denied = decisionView(decide(input({ connection: {}, user: fresh })), { mode: "mandatory", isAdmin: false });
    expect([denied.title, denied.code, denied.reason]).toEqual(["Denied", "no_usable_token", "Logon refused: new@corp.local has no token; ask an administrator to assign one."]);
  });
});

describe("gatewayOptions", () => {
  it("offers one address per gateway rule, in order, without repeats", () => {
    expect(gatewayOptions(["192.0.2.10", "198.51.100.0/24", "203.0.113.5-203.0.113.9", "192.0.2.10", "2001:db8::/64", "junk"])).toEqual([
      { address: "192.0.2.10" },
      { address: "198.51.100.1", from: "198.51.100.0/24" },
      { address: "203.0.113.5", from: "203.0.113.5-203.0.113.9" },
      { address: "2001:db8::1", from: "2001:db8::/64" },
    ]);
    expect(gatewayOptions(["192.0.2.7/32"])).toEqual([{ address: "192.0.2.7", from: "192.0.2.7/32" }]);
  });
});

describe("namesSelf", () => {
  it.each([
    ["alice", true],
    ["CORP\\Alice", true],
    ["ALICE@corp.local", true],
    ["alice@other.example", false],
    ["bob", false],
    ["CORP\\bob", false],
    ["OTHER\\alice", false],
    ["CORPX\\alice", false],
    ["corp.local\\alice", true],
    ["", false],
  ])("%j for alice@corp.local → %s", (typed, self) => {
    expect(namesSelf(typed, "alice@corp.local")).toBe(self);
  });
});

describe("tickets", () => {
  const t = { viewer: "bob@corp.local", user: "alice@corp.local", clientIp: "192.0.2.25", exp: 2_000 };
  it("reads back what was signed, until it expires", () => {
    const text = signTicket(t, "s3cret");
    expect(readTicket(text, "s3cret", 1_000)).toEqual(t);
    expect(readTicket(text, "s3cret", 2_000)).toBeNull();
  });
  it("refuses another secret, a changed body and garbage", () => {
    const text = signTicket(t, "s3cret");
    expect(readTicket(text, "other", 1_000)).toBeNull();
    const [, mac] = text.split(".");
    const forged = Buffer.from(JSON.stringify({ ...t, user: "carol@corp.local" })).toString("base64url");
    expect(readTicket(`${forged}.${mac}`, "s3cret", 1_000)).toBeNull();
    expect(readTicket("nonsense", "s3cret", 1_000)).toBeNull();
    expect(readTicket("a.b.c", "s3cret", 1_000)).toBeNull();
  });
});
