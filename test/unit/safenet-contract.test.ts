import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  activationSchema,
  allows,
  brokenRelations,
  checkAnswer,
  DEFAULT_POLICY,
  errorBodySchema,
  eventsPageSchema,
  failureMessage,
  groupsAnswerSchema,
  policyPatchSchema,
  policySchema,
  provisionAnswerSchema,
  provisionRequestSchema,
  refusal,
  repositoriesAnswerSchema,
  serviceStatusSchema,
  TOKEN_OPERATIONS,
  TOKEN_STATES,
  tokenSchema,
  userSchema,
  validationAnswerSchema,
  validationRequestSchema,
  type TokenOperation,
  type TokenState,
} from "../../lib/safenet/contract";

// The contract as DESIGN.md writes it: its examples pass, anything else is refused with a sentence
// that names the field and never repeats the value.

const token = {
  serial: "0123456789ABCDEF",
  type: "MobilePASS",
  otpMode: "time",
  otpLength: 6,
  state: "Active",
  user: "alice@corp.local",
  failCount: 0,
  lockedUntil: null,
  createdAt: "2025-01-02T03:04:05.000Z",
  activatedAt: "2025-01-02T03:05:00.000Z",
  lastUsedAt: null,
};
const user = { upn: "alice@corp.local", displayName: "Alice Example", email: "alice@corp.local", groups: ["Domain Users"], safenetAccount: true, tokens: [token] };
const activation = {
  activationKey: "aB3dE5fG7hJ9kL2m",
  seedFile: { filename: "0123456789ABCDEF.pskc", contentType: "application/pskc+xml", base64: Buffer.from("<KeyContainer/>").toString("base64") },
  otpauthUri: "otpauth://totp/SafeNet%20(corp.local):alice@corp.local?secret=JBSWY3DPEHPK3PXP",
  downloadUrl: "http://127.0.0.1:4010/TMSService/ClientDownload/MobilePASSWin.exe",
};
const event = { id: 7, at: "2025-01-02T03:04:05.000Z", type: "auth", user: "alice@corp.local", serial: "0123456789ABCDEF", result: "success", code: 1, reason: null, clientIp: "203.0.113.9", detail: null };

const problems = (schema: Parameters<typeof checkAnswer>[0], value: unknown) => {
  const checked = checkAnswer(schema, value);
  if (checked.ok) throw new Error("expected the value to be refused");
  return checked.problems;
};

describe("the contract's shapes accept DESIGN.md's examples", () => {
  it("Token, User, activation and the provisioning answer", () => {
    expect(tokenSchema.parse(token)).toEqual(token);
    expect(userSchema.parse(user)).toEqual(user);
    expect(activationSchema.parse(activation)).toEqual(activation);
    expect(provisionAnswerSchema.parse({ token: { ...token, state: "Assigned", activatedAt: null }, activation }).token.state).toBe("Assigned");
    // An imported hardware token: no user, 8 digits, a vendor serial.
    expect(tokenSchema.safeParse({ ...token, serial: "VENDOR-AB12CD", type: "Hardware", otpMode: "event", otpLength: 8, state: "Inventory", user: null, activatedAt: null }).success).toBe(true);
  });

  it("the validator's three answers", () => {
    for (const answer of [
      { code: 1, result: "AUTH_SUCCESS", message: "SafeNet authentication OK.", serial: "0123456789ABCDEF" },
      { code: 0, result: "AUTH_FAILURE", message: "User's token is locked.", reason: "locked", serial: "0123456789ABCDEF" },
      { code: 0, result: "AUTH_FAILURE", message: "SafeNet authentication failed.", reason: "unknown_user" },
      { code: 5, result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response.", serial: "0123456789ABCDEF", state: "c3RhdGU" },
    ]) {
      expect(validationAnswerSchema.parse(answer)).toEqual(answer);
    }
    expect(failureMessage("locked")).toBe("User's token is locked.");
    expect(failureMessage("suspended")).toBe("User's token is suspended.");
    expect(failureMessage("wrong_otp")).toBe("SafeNet authentication failed.");
  });

  it("the policy's defaults, events, repositories, groups, service answers and the error body", () => {
    // DESIGN.md's bracketed defaults; pinMaxLength 4: "a 4-digit OTP PIN".
    expect(DEFAULT_POLICY).toEqual({
      lockThreshold: 3, lockDurationSeconds: 600, pinMode: "server", pinPosition: "prefix", pinMinLength: 4, pinMaxLength: 4,
      otpLength: 6, timeStepSeconds: 30, timeDriftSteps: 1, lookAheadWindow: 10, outerWindow: 100,
    });
    expect(policySchema.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(eventsPageSchema.parse({ events: [event, { ...event, id: 8, detail: { from: "Active" } }], nextCursor: "8" }).events).toHaveLength(2);
    expect(repositoriesAnswerSchema.safeParse({ repositories: [{ name: "corp.local", kind: "ActiveDirectory", users: 6 }] }).success).toBe(true);
    expect(groupsAnswerSchema.safeParse({ groups: [{ name: "RAS Admins", members: 1 }] }).success).toBe(true);
    expect(serviceStatusSchema.safeParse({ service: "TokenValidator", status: "ok", version: "1.0.0" }).success).toBe(true);
    expect(errorBodySchema.safeParse({ error: { code: "invalid_state", message: "This token is Lost.", details: { state: "Lost" } } }).success).toBe(true);
    expect(errorBodySchema.safeParse({ error: { code: "not_found", message: "The token was not found." } }).success).toBe(true);
  });

  it("the requests the simulator takes", () => {
    expect(provisionRequestSchema.safeParse({ type: "MobilePASS", otpMode: "time", pin: "4089", email: "alice@corp.local" }).success).toBe(true);
    expect(validationRequestSchema.safeParse({ username: "CORP\\alice", passcode: "4089123456", state: "abc", clientIp: "203.0.113.9", organization: "corp.local" }).success).toBe(true);
  });
});

describe("the contract's shapes refuse malformed answers", () => {
  it("a token with a missing field, a wrong type or a state outside the list", () => {
    const { state: _state, ...noState } = token;
    expect(problems(tokenSchema, noState)).toBe("state is missing");
    expect(problems(tokenSchema, { ...token, failCount: "0" })).toBe("failCount is not a number");
    expect(problems(tokenSchema, { ...token, state: "Broken" })).toMatch(/^state: .*"Inventory"\|"Assigned"/);
    expect(problems(tokenSchema, { ...token, createdAt: "yesterday" })).toMatch(/^createdAt: /);
    expect(problems(userSchema, { ...user, tokens: [{ ...token, otpMode: "sms" }] })).toMatch(/^tokens\.0\.otpMode: /);
    expect(problems(userSchema, [user])).toBe("the answer is not an object");
  });

  it("validator answers whose code, result, reason or state do not agree", () => {
    expect(problems(validationAnswerSchema, { code: 1, result: "AUTH_FAILURE", message: "x" })).toBe("result is not the result of code 1");
    expect(problems(validationAnswerSchema, { code: 0, result: "AUTH_FAILURE", message: "x" })).toBe("reason is missing from a failure");
    expect(problems(validationAnswerSchema, { code: 5, result: "OUTER_WINDOW_AUTH", message: "x", serial: "S" })).toBe("state is missing from a code 5 answer");
    expect(problems(validationAnswerSchema, { code: 2, result: "AUTH_FAILURE", message: "x" })).toMatch(/^code: /);
    expect(problems(validationAnswerSchema, { code: 0, result: "AUTH_FAILURE", message: "x", reason: "bad_luck" })).toMatch(/^reason: /);
  });

  it("policies outside the limits, events and error bodies of the wrong shape", () => {
    expect(problems(policySchema, { ...DEFAULT_POLICY, lockThreshold: 101 })).toMatch(/^lockThreshold: .*100/);
    expect(problems(policySchema, { ...DEFAULT_POLICY, otpLength: 7 })).toMatch(/^otpLength: /);
    expect(policyPatchSchema.safeParse({ lockThreshold: 5, colour: "blue" }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ lockThreshold: 5 }).success).toBe(true);
    expect(problems(eventsPageSchema, { events: [{ ...event, id: "7" }], nextCursor: null })).toBe("events.0.id is not a number");
    expect(problems(errorBodySchema, { error: "Service Unavailable", statusCode: 503 })).toBe("error is not an object");
    expect(problems(errorBodySchema, { error: { code: "Not Found", message: "x" } })).toBe("error.code is not a snake_case code");
  });

  it("names what is wrong but never repeats a value from the answer", () => {
    const secret = "SeCrEtKeY0123456789";
    const said = problems(provisionAnswerSchema, { token, activation: { ...activation, activationKey: secret, seedFile: { ...activation.seedFile, base64: `${secret}!` } } });
    expect(said).toMatch(/activation\.activationKey/);
    expect(said).toMatch(/activation\.seedFile\.base64/);
    expect(said).not.toContain(secret);
  });

  it("lists at most three problems and counts the rest", () => {
    expect(problems(tokenSchema, {})).toMatch(/^serial is missing; type is missing; otpMode is missing and 8 more$/);
  });
});

describe("the token state table", () => {
  // docs/safenet-api.md, "Token states and what each operation allows".
  const TABLE: Record<TokenOperation, TokenState[]> = {
    activate: ["Assigned"],
    suspend: ["Assigned", "Active", "Locked"],
    reactivate: ["Suspended"],
    unlock: ["Locked"],
    revoke: ["Assigned", "Active", "Suspended", "Locked"],
    resync: ["Active", "Locked", "Suspended"],
    pin: ["Assigned", "Active", "Suspended", "Locked"],
    reissue: ["Assigned", "Active", "Suspended", "Locked"],
  };

  it("allows exactly the documented operations from each state", () => {
    expect(TOKEN_STATES).toEqual(["Inventory", "Assigned", "Active", "Suspended", "Locked", "Lost"]);
    for (const op of TOKEN_OPERATIONS) {
      for (const state of TOKEN_STATES) expect(allows(op, state), `${op} from ${state}`).toBe(TABLE[op].includes(state));
    }
  });

  it("refuses with a sentence that names the state and what would be allowed", () => {
    expect(refusal("activate", "Active")).toBe("This token is Active. Only an Assigned token can be activated.");
    expect(refusal("reissue", "Lost")).toBe("This token is Lost. An Inventory or Lost token cannot be reissued; provision a new token instead.");
    for (const op of TOKEN_OPERATIONS) {
      for (const state of TOKEN_STATES) expect(refusal(op, state)).toMatch(new RegExp(`^This token is ${state}\\. [A-Z].*\\.$`));
    }
  });
});

describe("the policy's relations", () => {
  it("finds each broken rule between fields, in order", () => {
    expect(brokenRelations(DEFAULT_POLICY)).toEqual([]);
    expect(brokenRelations({ ...DEFAULT_POLICY, pinMinLength: 6, pinMaxLength: 5 })).toEqual([{ field: "pinMinLength", than: "pinMaxLength", rule: "notGreater" }]);
    expect(brokenRelations({ ...DEFAULT_POLICY, outerWindow: 1, lookAheadWindow: 10, timeDriftSteps: 1 }).map((r) => r.than)).toEqual(["lookAheadWindow", "timeDriftSteps"]);
    expect(brokenRelations({ ...DEFAULT_POLICY, outerWindow: 10, lookAheadWindow: 10 }).map((r) => r.than)).toEqual(["lookAheadWindow"]);
  });
});

describe("the contract module stays pure", () => {
  it("imports nothing but zod and its own files, so the browser and both processes can load it", () => {
    const dir = path.resolve(__dirname, "../../lib/safenet/contract");
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"|\bimport\s*\(\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
      for (const spec of specifiers) expect(spec, `${file} imports ${spec}`).toMatch(/^(zod|\.\/[a-z-]+)$/);
      expect(source, file).not.toMatch(/process\.env/);
    }
  });

  it("keeps the files client components load free of zod, so the browser bundle does not carry it", () => {
    const dir = path.resolve(__dirname, "../../lib/safenet/contract");
    for (const file of ["states.ts", "policy-rules.ts", "errors.ts"]) {
      const values = [...fs.readFileSync(path.join(dir, file), "utf8").matchAll(/^import (?!type )[^;]*from "([^"]+)"/gm)].map((m) => m[1]);
      expect(values, file).toEqual([]);
    }
  });
});
