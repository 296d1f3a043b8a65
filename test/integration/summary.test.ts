import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositorySummarySchema, type RepositorySummary } from "../../lib/safenet/contract";
import { REPO, startSimulator, TMS, type Simulator } from "./harness";
import { activeToken, expectError, expectJson, newUser, provision, setPolicy } from "./provision";

// The repository summary the admin overview reads (an addition to the contract), and the directory
// sign-in's events filed under the UPN whatever spelling of the name was typed.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => sim?.stop());

const summary = async (): Promise<RepositorySummary> => repositorySummarySchema.parse(await expectJson(await sim.tms(`${REPO}/summary`)));

describe("GET /repositories/{repo}/summary", () => {
  it("counts users, accounts, tokens by state and the users with an Active token, and follows every change", async () => {
    const before = await summary();
    expect(before.repository).toBe("corp.local");
    expect(before.users).toBeGreaterThanOrEqual(5);

    const enrolled = await newUser(sim);
    const pending = await newUser(sim);
    const locked = await newUser(sim);
    await newUser(sim);
    await activeToken(sim, enrolled, "event");
    await provision(sim, pending, "event", "4089");
    const lockedToken = await activeToken(sim, locked, "event");
    await setPolicy(sim, { lockThreshold: 1 });
    await sim.validate({ username: locked, passcode: "4089000000" });
    await setPolicy(sim, { lockThreshold: 3 });

    const after = await summary();
    expect(after.users - before.users).toBe(4);
    expect(after.accounts - before.accounts).toBe(3);
    expect(after.usersWithActiveToken - before.usersWithActiveToken).toBe(1);
    expect(after.tokensByState.Active - before.tokensByState.Active).toBe(1);
    expect(after.tokensByState.Assigned - before.tokensByState.Assigned).toBe(1);
    expect(after.tokensByState.Locked - before.tokensByState.Locked).toBe(1);

    // Unlocked: Active again, and its user counts as enrolled.
    await expectJson(await sim.tms(`${TMS}/tokens/${lockedToken.serial}/unlock`, { method: "POST", json: {} }));
    const unlocked = await summary();
    expect(unlocked.tokensByState.Locked).toBe(after.tokensByState.Locked - 1);
    expect(unlocked.usersWithActiveToken).toBe(after.usersWithActiveToken + 1);
  });

  it("answers 404 for an unknown repository and 401 without the key", async () => {
    await expectError(await sim.tms(`${TMS}/repositories/nowhere.example/summary`), 404);
    const res = await fetch(`${sim.base}${REPO}/summary`);
    expect(res.status).toBe(401);
  });
});

describe("directory sign-in events", () => {
  const failures = async (user: string) => {
    const body = await expectJson(await sim.tms(`${TMS}/events?type=directory.authenticate&user=${encodeURIComponent(user)}&limit=100`));
    return (body.events as { result: string; detail: Record<string, unknown> | null }[]).filter((e) => e.result === "failure");
  };

  it("files a wrong password under the UPN when the directory knows the name, keeping the typed name in detail", async () => {
    const upn = await newUser(sim);
    const sam = upn.split("@")[0];
    for (const username of [sam, `CORP\\${sam}`, upn]) {
      await expectError(await sim.tms(`${REPO}/authenticate`, { method: "POST", json: { username, password: "Wrong!Passw0rd" } }), 401);
    }
    const filed = await failures(upn);
    expect(filed.map((e) => e.detail)).toEqual([{ username: sam }, { username: `corp\\${sam}` }, null]);
    expect(await failures(sam)).toEqual([]);
  });

  it("keeps an unknown name as typed", async () => {
    await expectError(await sim.tms(`${REPO}/authenticate`, { method: "POST", json: { username: "CORP\\Nobody", password: "Wrong!Passw0rd" } }), 401);
    expect(await failures("corp\\nobody")).toHaveLength(1);
  });
});
