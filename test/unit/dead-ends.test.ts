import { describe, expect, it } from "vitest";
import { landingPath } from "../../app/(auth)/login/landing";
import { frameDocument } from "../../app/(portal)/mailbox/frame-document";
import { movedSentence, wizardKey, wizardViewOf } from "../../app/(portal)/enroll/wizard-view";

const ORIGIN = "http://127.0.0.1:3000";

describe("where a session lands after sign-in", () => {
  it("sends a password-only session to New Account Info unless it was on its way to a page it may open", () => {
    expect(landingPath("enroll", "/", ORIGIN)).toBe("/enroll");
    expect(landingPath("enroll", "/admin", ORIGIN)).toBe("/enroll");
    expect(landingPath("enroll", "/token", ORIGIN)).toBe("/enroll");
    expect(landingPath("enroll", "/enrollment-evil", ORIGIN)).toBe("/enroll");
    expect(landingPath("enroll", "/mailbox?id=abc", ORIGIN)).toBe("/mailbox?id=abc");
    expect(landingPath("enroll", "/enroll", ORIGIN)).toBe("/enroll");
    expect(landingPath("enroll", "/mailbox/", ORIGIN)).toBe("/mailbox/");
    // An invited user without a token signs in from the link and comes back to accept it.
    expect(landingPath("enroll", "/invite/abc", ORIGIN)).toBe("/invite/abc");
    expect(landingPath("enroll", "/invitations", ORIGIN)).toBe("/enroll");
    expect(landingPath("enroll", "https://evil.example/enroll", ORIGIN)).toBe("/enroll");
  });

  it("sends a session waiting for PIN + OTP to the OTP step with its target, and a full one to its target", () => {
    expect(landingPath("pending", "/admin", ORIGIN)).toBe("/login/otp?callbackUrl=%2Fadmin");
    expect(landingPath("pending", "//evil.example", ORIGIN)).toBe("/login/otp?callbackUrl=%2F");
    expect(landingPath("done", "/admin/users", ORIGIN)).toBe("/admin/users");
    expect(landingPath("done", "/\\evil.example", ORIGIN)).toBe("/");
  });
});

describe("the mailbox frame's document", () => {
  it("opens every link in a new tab, ahead of any base the mail brings", () => {
    const doc = frameDocument('<!DOCTYPE html><html lang="en"><head><base href="https://x.example/" target="_self"><title>t</title></head><body><a href="/a">a</a></body></html>');
    expect(doc.indexOf('<base target="_blank">')).toBeGreaterThan(doc.indexOf("<head>"));
    expect(doc.indexOf('<base target="_blank">')).toBeLessThan(doc.indexOf('<base href="https://x.example/"'));
  });

  it("adds a head where the mail has none", () => {
    expect(frameDocument('<html><body><a href="/a">a</a></body></html>')).toMatch(/^<html><head><base target="_blank">.*<\/head><body>/);
    expect(frameDocument("<p>plain</p>")).toMatch(/^<base target="_blank">.*<p>plain<\/p>$/);
    expect(frameDocument("<HEAD data-x='1'><title>t</title></HEAD>")).toMatch(/^<HEAD data-x='1'><base target="_blank">/);
  });
});

describe("the wizard's step from the server's status", () => {
  const user = { upn: "a@corp.local", displayName: "A", email: "a@corp.local" };
  const token = { serial: "0123456789ABCDEF", otpMode: "time" as const, state: "Assigned" as const, lastUsedAt: null };

  it("maps each enrollment status to its step, and names a step by the token it is about", () => {
    expect(wizardViewOf({ kind: "choose_pin", user, lost: null })).toEqual({ step: 1 });
    expect(wizardViewOf({ kind: "activate", user, token })).toEqual({ step: 2, serial: token.serial, otpMode: "time", activation: null });
    expect(wizardViewOf({ kind: "active", user, token: { ...token, state: "Active" } })).toEqual({ step: 3, serial: token.serial });
    expect(wizardViewOf({ kind: "blocked", user, token: { ...token, state: "Locked" } })).toBeNull();
    expect(wizardKey({ step: 2, serial: "A", otpMode: "time", activation: null })).not.toBe(wizardKey({ step: 2, serial: "B", otpMode: "time", activation: null }));
    expect(movedSentence({ step: 2, serial: "A", otpMode: "time", activation: null })).toContain("token A waits for activation");
  });
});
