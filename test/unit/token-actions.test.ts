import { describe, expect, it } from "vitest";
// The simulator enforces the contract's table; the console must offer exactly what it allows.
import { allows as simulatorAllows, refusal as simulatorRefusal, TOKEN_STATES, type TokenOperation } from "../../lib/safenet/contract";
import {
  allowedActions,
  allows,
  ENDS_SESSIONS,
  errorSentence,
  refusalSentence,
  TOKEN_ACTIONS,
  type TokenAction,
} from "../../lib/safenet/token-actions";
import { SafeNetError } from "../../lib/safenet/contract";

const STATE_ACTIONS: TokenAction[] = ["suspend", "reactivate", "unlock", "revoke", "resync", "pin", "reissue"];

describe("which actions a token state offers", () => {
  it("matches the documented table state by state", () => {
    expect(allowedActions("Active")).toEqual(["suspend", "revoke", "resync", "pin", "reissue", "delete"]);
    expect(allowedActions("Suspended")).toEqual(["reactivate", "revoke", "resync", "pin", "reissue", "delete"]);
    expect(allowedActions("Locked")).toEqual(["suspend", "unlock", "revoke", "resync", "pin", "reissue", "delete"]);
    expect(allowedActions("Assigned")).toEqual(["suspend", "revoke", "pin", "reissue", "delete"]);
    expect(allowedActions("Lost")).toEqual(["delete"]);
    expect(allowedActions("Inventory")).toEqual(["delete"]);
  });

  it("agrees with the simulator for every state and operation", () => {
    for (const state of TOKEN_STATES) {
      for (const action of STATE_ACTIONS) {
        expect(allows(action, state), `${action} from ${state}`).toBe(simulatorAllows(action as TokenOperation, state));
      }
    }
  });

  it("refuses with the simulator's own sentence", () => {
    expect(refusalSentence("reactivate", "Lost")).toBe("This token is Lost. Only a Suspended token can be reactivated.");
    for (const state of TOKEN_STATES) {
      for (const action of STATE_ACTIONS) {
        if (!allows(action, state)) expect(refusalSentence(action, state)).toBe(simulatorRefusal(action as TokenOperation, state));
      }
    }
  });

  it("ends sessions at once after suspend, revoke, PIN reset, reissue and delete", () => {
    expect([...ENDS_SESSIONS].sort()).toEqual(["delete", "pin", "reissue", "revoke", "suspend"]);
  });

  it("names the token and its user in every confirmation", () => {
    for (const text of Object.values(TOKEN_ACTIONS)) {
      expect(text.confirm("0123456789ABCDEF", "alice@corp.local")).toContain("0123456789ABCDEF");
      expect(text.confirm("0123456789ABCDEF", "alice@corp.local")).toContain("alice@corp.local");
      expect(text.confirmLabel).toMatch(/^Confirm /);
    }
  });

  it("never promises an email that is not sent when sending a new activation, and names the user's next step by the one name", () => {
    expect(TOKEN_ACTIONS.reissue.label).toBe("Send a new activation");
    expect(TOKEN_ACTIONS.reissue.done("S", "u@corp.local")).toMatch(/New Account Info and choose “Send a new activation”/);
  });
});

describe("errorSentence", () => {
  it("shows the simulator's 422 sentence", () => {
    const err = new SafeNetError(422, "invalid_state", "This token is Lost. Only an Assigned, Active or Locked token can be suspended.", {
      state: "Lost",
      operation: "suspend",
    });
    expect(errorSentence(err, "suspend")).toBe("This token is Lost. Only an Assigned, Active or Locked token can be suspended.");
  });

  it("writes its own 422 sentence when SafeNet gives none", () => {
    expect(errorSentence({ status: 422, code: "invalid_state", message: "", details: { state: "Lost" } }, "reactivate")).toBe(
      "This token is Lost. Only a Suspended token can be reactivated.",
    );
  });

  it("turns other failures into sentences that say what to do", () => {
    expect(errorSentence(new SafeNetError(404, "not_found", "Token was not found."))).toMatch(/Reload the page/);
    expect(errorSentence(new SafeNetError(401, "unauthorized", "x"))).toMatch(/SAFENET_TMS_API_KEY/);
    expect(errorSentence(new SafeNetError(503, "unreachable", "SafeNet cannot be reached. Check the service URLs."))).toBe(
      "SafeNet cannot be reached. Check the service URLs.",
    );
    expect(errorSentence(new SafeNetError(400, "invalid_input", "The PIN must contain digits only."))).toBe("The PIN must contain digits only.");
    expect(errorSentence(new SafeNetError(500, "http_error", "Boom."))).toMatch(/HTTP 500/);
    expect(errorSentence(new Error("socket hang up"))).toMatch(/could not finish/);
  });
});
