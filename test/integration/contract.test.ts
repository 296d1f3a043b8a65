import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hotp } from "../../lib/otp";
import { FIXTURES, REPO, startSimulator, TMS, TMS_KEY, type Simulator } from "./harness";
import { activeToken, expectError, expectJson, newUser, provision } from "./provision";
import { startSlapd } from "../support/slapd";
import { assertContractAnswer, checkedRoutes, CONTRACT_ROUTES, contractFetch } from "./support/contract-check";

// Every endpoint of the simulator once, each answer held to the contract's schema by the harness
// (support/contract-check.ts); the last test proves that no route of the contract went unchecked.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => sim?.stop());

const TOKENS = `${TMS}/tokens`;
const post = (p: string, json: unknown = {}) => sim.tms(p, { method: "POST", json });
const ok = async (res: Promise<Response>, status = 200) => expectJson(await res, status);

describe("the simulator's answers match the contract", () => {
  it("health, the validator's Check connection answer and the download link", async () => {
    expect(await ok(contractFetch(`${sim.base}/health`))).toMatchObject({ status: "ok", service: "safenet-simulator" });
    expect(await ok(contractFetch(`${sim.base}/TokenValidator/TokenValidator.asmx`))).toMatchObject({ service: "TokenValidator" });
    expect((await contractFetch(`${sim.base}/TMSService/ClientDownload/MobilePASSWin.exe`, { redirect: "manual" })).status).toBe(302);
    expect(await ok(sim.tms(TMS))).toMatchObject({ service: "TMSWebAPI", status: "ok" });
  });

  it("the directory: repositories, groups, users, sign-in and the SafeNet account", async () => {
    expect((await ok(sim.tms(`${TMS}/repositories`))).repositories[0]).toMatchObject({ name: "corp.local" });
    expect((await ok(sim.tms(`${REPO}/groups`))).groups.map((g: { name: string }) => g.name)).toContain("RAS Admins");
    expect((await ok(sim.tms(`${REPO}/summary`))).users).toBeGreaterThan(0);
    const upn = await newUser(sim);
    expect((await ok(sim.tms(`${REPO}/users?search=${encodeURIComponent(upn)}&limit=5`))).users).toHaveLength(1);
    expect(await ok(sim.tms(`${REPO}/users/${upn}`))).toMatchObject({ upn, safenetAccount: false, tokens: [] });
    expect(await ok(sim.tms(`${REPO}/users/${upn}`, { method: "PATCH", json: { displayName: "Renamed" } }))).toMatchObject({ displayName: "Renamed" });
    expect((await ok(post(`${REPO}/authenticate`, { username: upn, password: "Test!Passw0rd" }))).user.upn).toBe(upn);
    await expectError(await post(`${REPO}/authenticate`, { username: upn, password: "wrong" }), 401, "invalid_credentials");
    expect(await ok(sim.tms(`${REPO}/users/${upn}/account`, { method: "PUT" }))).toMatchObject({ safenetAccount: true });
    expect(await ok(sim.tms(`${REPO}/users/${upn}/account`, { method: "DELETE" }))).toMatchObject({ safenetAccount: false });
  });

  it("LDAP repositories: add, try, change, remove (against a real slapd)", async () => {
    const ldap = await startSlapd();
    try {
      const body = { name: "contract-ldap", kind: "LDAP", url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword, baseDn: ldap.baseDn, userFilter: ldap.userFilter };
      expect(await ok(post(`${TMS}/repositories`, body), 201)).toMatchObject({ name: "contract-ldap", kind: "LDAP", status: "ok", users: 5 });
      expect(await ok(post(`${TMS}/repositories/test`, { name: "contract-ldap" }))).toMatchObject({ ok: true, users: 5, groups: 4 });
      expect(await ok(sim.tms(`${TMS}/repositories/contract-ldap`, { method: "PATCH", json: { baseDn: `ou=People,${ldap.baseDn}` } }))).toMatchObject({ users: 5 });
      expect((await sim.tms(`${TMS}/repositories/contract-ldap`, { method: "DELETE" })).status).toBe(204);
    } finally {
      await ldap.stop();
    }
  });

  it("every validator answer: success, failure with its reason, and code 5 with its state", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    const validate = (passcode: string, state?: string) => ok(sim.validate({ username: upn, passcode, ...(state && { state }) }));
    expect(await validate(`4089${hotp(t.secret, 1)}`)).toMatchObject({ code: 1, serial: t.serial });
    expect(await validate(`0000${hotp(t.secret, 2)}`)).toMatchObject({ code: 0, reason: "wrong_pin" });
    const challenge = await validate(`4089${hotp(t.secret, 50)}`);
    expect(challenge).toMatchObject({ code: 5, result: "OUTER_WINDOW_AUTH" });
    expect(await validate(`4089${hotp(t.secret, 51)}`, challenge.state)).toMatchObject({ code: 1 });
  });

  it("every token operation, the token list, reissue, import, delete", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    const act = (name: string, json: unknown = {}) => ok(post(`${TOKENS}/${t.serial}/${name}`, json));
    expect(await act("suspend")).toMatchObject({ state: "Suspended" });
    await expectError(await post(`${TOKENS}/${t.serial}/unlock`), 422, "invalid_state");
    expect(await act("reactivate")).toMatchObject({ state: "Active" });
    for (let i = 0; i < 3; i++) await ok(sim.validate({ username: upn, passcode: `1111${hotp(t.secret, 1)}` }));
    expect(await act("unlock")).toMatchObject({ state: "Active", failCount: 0 });
    expect(await act("resync", { otp1: hotp(t.secret, 30), otp2: hotp(t.secret, 31) })).toMatchObject({ state: "Active" });
    expect(await act("pin", { pin: "5820" })).toMatchObject({ state: "Active" });
    expect((await act("reissue")).token).toMatchObject({ state: "Assigned" });
    expect(await act("revoke")).toMatchObject({ state: "Lost" });
    expect((await ok(sim.tms(`${TOKENS}?user=${encodeURIComponent(upn)}`))).tokens).toHaveLength(1);
    expect(await ok(sim.tms(`${TOKENS}/${t.serial}`))).toMatchObject({ serial: t.serial, state: "Lost" });
    expect((await sim.tms(`${TOKENS}/${t.serial}`, { method: "DELETE" })).status).toBe(204);
    await expectError(await sim.tms(`${TOKENS}/${t.serial}`), 404, "not_found");

    await expectError(await post(`${TOKENS}/${(await provision(sim, upn, "time", "4089")).serial}/activate`, { passcode: "4089000000" }), 400, "invalid_input");
    const xml = fs.readFileSync(path.join(FIXTURES, "rfc6030-figure7.pskc.xml"), "utf8").replace("987654321", `C${process.pid}`);
    expect((await ok(post(`${TOKENS}/import`, { pskc: xml, password: "qwerty" }))).added).toHaveLength(1);
  });

  it("the policy and the event log", async () => {
    const policy = await ok(sim.tms(`${TMS}/policy`));
    expect(await ok(sim.tms(`${TMS}/policy`, { method: "PUT", json: { lockThreshold: policy.lockThreshold } }))).toEqual(policy);
    await expectError(await sim.tms(`${TMS}/policy`, { method: "PUT", json: { lockThreshold: 101 } }), 400, "invalid_input");
    expect((await ok(sim.tms(`${TMS}/events?limit=1000`))).events.length).toBeGreaterThan(0);
  });

  it("the mail sink's reading side", async () => {
    const to = `contract-${process.pid}@example.com`;
    await nodemailer
      .createTransport({ host: "127.0.0.1", port: sim.smtpPort, secure: false, ignoreTLS: true })
      .sendMail({ from: "portal@example.com", to, subject: "seed", text: "hi", attachments: [{ filename: "S.pskc", content: "<KeyContainer/>" }] });
    const [message] = (await ok(sim.tms(`/mailbox/messages?to=${encodeURIComponent(to)}`))).messages;
    expect(message.attachments).toEqual([expect.objectContaining({ filename: "S.pskc" })]);
    expect(await (await sim.tms(`/mailbox/messages/${message.id}/attachments/S.pskc`)).text()).toBe("<KeyContainer/>");
    expect((await ok(sim.tms("/mailbox/messages", { method: "DELETE" }))).deleted).toBeGreaterThan(0);
    await expectError(await contractFetch(`${sim.base}/mailbox/messages`, { headers: { authorization: `Bearer not-${TMS_KEY}` } }), 401, "unauthorized");
  });

  it("the check itself refuses an answer that breaks the contract", async () => {
    const answer = (status: number, body: unknown, type = "application/json") => new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
    const at = (p: string) => `${sim.base}${p}`;
    await expect(assertContractAnswer("GET", at(`${TOKENS}/X`), answer(200, { serial: "X", state: "Broken" }))).rejects.toThrow(
      /^The simulator's answer to GET \/TMSWebAPI\/v1\/tokens\/X \(HTTP 200\) breaks the contract: type is missing/,
    );
    await expect(assertContractAnswer("GET", at(`${TMS}/policy`), answer(200, {}, "text/html"))).rejects.toThrow(/is not JSON \(text\/html\)/);
    await expect(assertContractAnswer("GET", at(`${TMS}/policy`), answer(503, { error: "Service Unavailable", statusCode: 503 }))).rejects.toThrow(/error is not an object/);
    await expect(assertContractAnswer("GET", at(`${TMS}/nowhere`), answer(200, {}))).rejects.toThrow(/CONTRACT_ROUTES does not list/);
    await expect(assertContractAnswer("DELETE", at(`${TOKENS}/X`), answer(200, {}))).rejects.toThrow(/should be 204 with no body/);
  });

  it("no route of the contract went unchecked", () => {
    expect([...checkedRoutes].sort()).toEqual(CONTRACT_ROUTES.map((r) => r.name).sort());
  });
});
