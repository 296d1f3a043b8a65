import { headers } from "next/headers";
import { type PortalEvent } from "@/db/queries/events";
import { endpoints } from "@/lib/auth/options";
import { clientAddress } from "@/lib/auth/request-info";
import { endOtherSessions } from "@/lib/auth/session-refresh";
import { env } from "@/lib/config/env";
import { notifyFactorChange } from "@/lib/mail/factor-notice";
import { mailSinkConfigured, sendActivationEmail } from "@/lib/mail/notifications";
import type { MfaSettings } from "@/lib/mfa/settings";
import { groupKey, manualKey, qrSvg } from "@/lib/mfa/qr";
import { safenetClient, type Activation, type SafeNetToken, type SafeNetUser } from "@/lib/safenet/client";
import { errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";
import { DEFAULT_PIN_LENGTHS, type PinLengths } from "./pin-rules";
import { store } from "@/lib/server/store";

// Server glue of New Account Info: where a user stands, and provisioning, activation and reissue
// with their mails and events. The activation block passes through once and is never stored.

export type EnrollmentSettings = Pick<MfaSettings, "provider" | "mode" | "tokenType" | "splitDelivery">;

export interface EnrollmentUser {
  upn: string;
  displayName: string;
  email: string;
}

export interface TokenSummary {
  serial: string;
  otpMode: "time" | "event";
  state: SafeNetToken["state"];
  lastUsedAt: string | null;
}

export type EnrollmentStatus =
  | { kind: "provider_none" }
  | { kind: "unavailable"; message: string }
  | { kind: "contact_admin"; upn: string }
  | { kind: "not_applicable"; upn: string }
  | { kind: "choose_pin"; user: EnrollmentUser; lost: TokenSummary | null }
  | { kind: "activate"; user: EnrollmentUser; token: TokenSummary }
  | { kind: "active"; user: EnrollmentUser; token: TokenSummary }
  | { kind: "blocked"; user: EnrollmentUser; token: TokenSummary };

/** What step 2 shows once, right after provisioning or reissue; the portal keeps none of it. */
export interface ActivationView {
  serial: string;
  otpMode: "time" | "event";
  digits: number;
  qrSvg: string;
  /** The base32 secret in groups of four. */
  manualKey: string;
  seedFile: Activation["seedFile"];
  downloadUrl: string;
  /** Shown in the portal when the email leaves it out (split delivery) or could not be sent. */
  activationKey: string | null;
  mail: { to: string; sent: boolean; error?: string; mailbox: boolean };
}

export type IssueOutcome = { ok: true; activation: ActivationView } | { ok: false; message: string; field?: string };

const client = async () => safenetClient(await endpoints());

const summary = (t: SafeNetToken): TokenSummary => ({ serial: t.serial, otpMode: t.otpMode, state: t.state, lastUsedAt: t.lastUsedAt });

const newest = (tokens: SafeNetToken[]) => [...tokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

/** The token that matters for enrollment: Active first, then one waiting for activation, then a blocked one. */
export function currentToken(user: SafeNetUser): SafeNetToken | null {
  for (const states of [["Active"], ["Assigned"], ["Suspended", "Locked"]]) {
    const found = user.tokens.filter((t) => states.includes(t.state));
    if (found.length > 0) return newest(found);
  }
  return null;
}

/** An enrollment event by the user themself, from the request's address; never a secret in it. */
async function event(e: Omit<PortalEvent, "clientIp" | "actor">): Promise<void> {
  await store.recordEvent({ ...e, actor: e.user, clientIp: clientAddress(await headers()) });
}

export async function enrollmentStatus(upn: string, settings: EnrollmentSettings): Promise<EnrollmentStatus> {
  if (settings.provider === "none") return { kind: "provider_none" };
  let user: SafeNetUser;
  try {
    user = await (await client()).getUser(upn);
  } catch (err) {
    return { kind: "unavailable", message: errorSentence(err) };
  }
  const me = { upn: user.upn, displayName: user.displayName, email: user.email };
  if (!user.safenetAccount) {
    if (settings.mode === "mandatory") return { kind: "contact_admin", upn: user.upn };
    if (settings.mode === "account_only") return { kind: "not_applicable", upn: user.upn };
  }
  const token = currentToken(user);
  if (!token) {
    const lost = user.tokens.filter((t) => t.state === "Lost");
    return { kind: "choose_pin", user: me, lost: lost.length ? summary(newest(lost)) : null };
  }
  if (token.state === "Active") return { kind: "active", user: me, token: summary(token) };
  if (token.state === "Assigned") return { kind: "activate", user: me, token: summary(token) };
  return { kind: "blocked", user: me, token: summary(token) };
}

/** The PIN lengths the SafeNet policy asks for (4 digits when the policy cannot be read). */
export async function pinLengths(): Promise<PinLengths> {
  try {
    const p = await (await client()).policy();
    return { min: p.pinMinLength, max: p.pinMaxLength };
  } catch {
    return DEFAULT_PIN_LENGTHS;
  }
}

async function activationView(
  user: EnrollmentUser,
  token: SafeNetToken,
  activation: Activation,
  pin: string,
  split: boolean,
): Promise<ActivationView> {
  let mailError: string | undefined;
  try {
    await sendActivationEmail({
      to: user.email,
      displayName: user.displayName,
      upn: user.upn,
      serial: token.serial,
      otpMode: token.otpMode,
      activationKey: activation.activationKey,
      pin,
      seedFile: activation.seedFile,
      downloadUrl: activation.downloadUrl,
      portalUrl: env().NEXTAUTH_URL,
      split,
    });
  } catch (err) {
    // The mail module records the failure itself.
    mailError = `The activation email to ${user.email} could not be sent (${err instanceof Error ? err.message : "unknown error"}). Use the activation key, QR code and seed file below instead.`;
  }
  return {
    serial: token.serial,
    otpMode: token.otpMode,
    digits: token.otpLength,
    qrSvg: await qrSvg(activation.otpauthUri),
    manualKey: groupKey(manualKey(activation.otpauthUri)),
    seedFile: activation.seedFile,
    downloadUrl: activation.downloadUrl,
    activationKey: split || mailError ? activation.activationKey : null,
    mail: { to: user.email, sent: !mailError, error: mailError, mailbox: mailboxLinkWanted() },
  };
}

// Only a hint for a link to the demo mailbox: a configuration error must not fail the enrollment.
function mailboxLinkWanted(): boolean {
  try {
    return mailSinkConfigured();
  } catch {
    return false;
  }
}

function failure(err: unknown): { ok: false; message: string; field?: string } {
  const message = errorSentence(err);
  const details = isSafeNetError(err) && err.status === 400 ? err.details : undefined;
  const field = details ? ["pin", "email", "passcode"].find((f) => f in details) : undefined;
  return { ok: false, message, field };
}

/** Step 1 → 2: a MobilePASS token of the configured type (creating the SafeNet account when missing), then the mail. */
export async function provisionToken(upn: string, input: { pin: string; email: string }, settings: EnrollmentSettings): Promise<IssueOutcome> {
  const status = await enrollmentStatus(upn, settings);
  if (status.kind !== "choose_pin") return { ok: false, message: refusal(status) };
  let issued: { token: SafeNetToken; activation: Activation };
  try {
    // No `email`: SafeNet would make the typed address the directory's, where every later notice goes.
    issued = await (await client()).provision(status.user.upn, { type: "MobilePASS", otpMode: settings.tokenType, pin: input.pin });
  } catch (err) {
    const f = failure(err);
    await event({ type: "enrollment.provision", kind: "enrollment", user: status.user.upn, result: "failure", reason: isSafeNetError(err) ? err.code : "error", detail: { message: f.message } });
    return f;
  }
  const user = { ...status.user, email: input.email };
  // A new token is a change to the second factor: the user's other sessions end, this one goes on.
  await endOtherSessions(user.upn);
  await event({
    type: "enrollment.provision",
    kind: "enrollment",
    user: user.upn,
    serial: issued.token.serial,
    result: "success",
    detail: { otpMode: issued.token.otpMode, splitDelivery: settings.splitDelivery, emailChanged: input.email !== status.user.email },
  });
  await notifyFactorChange({ upn: user.upn, change: "issued", serial: issued.token.serial, clientIp: clientAddress(await headers()), activationTo: input.email });
  return { ok: true, activation: await activationView(user, issued.token, issued.activation, input.pin, settings.splitDelivery) };
}

/** A new seed and activation key for the user's token that waits for activation; the old seed stops working. */
export async function reissueActivation(upn: string, serial: string, pin: string, settings: EnrollmentSettings): Promise<IssueOutcome> {
  const status = await enrollmentStatus(upn, settings);
  if (status.kind !== "activate" || status.token.serial !== serial) {
    return { ok: false, message: "This token no longer waits for activation. Reload the page to see where your enrollment stands." };
  }
  let issued: { token: SafeNetToken; activation: Activation };
  try {
    issued = await (await client()).reissue(serial, pin);
  } catch (err) {
    const f = failure(err);
    await event({ type: "enrollment.reissue", kind: "enrollment", user: status.user.upn, serial, result: "failure", reason: isSafeNetError(err) ? err.code : "error" });
    return f;
  }
  await endOtherSessions(status.user.upn);
  await event({ type: "enrollment.reissue", kind: "enrollment", user: status.user.upn, serial, result: "success", detail: { splitDelivery: settings.splitDelivery, sessionsEnded: true } });
  await notifyFactorChange({ upn: status.user.upn, change: "reissued", serial, clientIp: clientAddress(await headers()), activationTo: status.user.email });
  return { ok: true, activation: await activationView(status.user, issued.token, issued.activation, pin, settings.splitDelivery) };
}

export type ActivateOutcome = { ok: true; serial: string; mailError?: string } | { ok: false; message: string; field?: string };

/** Verify before activate: the first right passcode makes the token Active; then the mail, and other sessions end. */
export async function activateToken(upn: string, serial: string, passcode: string, settings: EnrollmentSettings): Promise<ActivateOutcome> {
  const status = await enrollmentStatus(upn, settings);
  if (status.kind === "active" && status.token.serial === serial) return { ok: true, serial };
  if (status.kind !== "activate" || status.token.serial !== serial) {
    return { ok: false, message: "This token no longer waits for activation. Reload the page to see where your enrollment stands." };
  }
  try {
    await (await client()).activate(serial, passcode);
  } catch (err) {
    await event({ type: "enrollment.activate", kind: "enrollment", user: status.user.upn, serial, result: "failure", reason: isSafeNetError(err) ? err.code : "error" });
    return failure(err);
  }
  // Sessions opened with the password alone predate the token: only this one carries on.
  await endOtherSessions(status.user.upn);
  await event({ type: "enrollment.activate", kind: "enrollment", user: status.user.upn, serial, result: "success", detail: { sessionsEnded: true } });
  const notice = await notifyFactorChange({ upn: status.user.upn, change: "activated", serial, clientIp: clientAddress(await headers()) });
  return notice.sent ? { ok: true, serial } : { ok: true, serial, mailError: `The confirmation email could not be sent (${notice.error}).` };
}

/** Why a user in `status` cannot choose a PIN now, as a sentence with what to do instead. */
export function refusal(status: EnrollmentStatus): string {
  switch (status.kind) {
    case "provider_none":
      return "Multi-factor authentication is switched off, so there is no token to enroll.";
    case "unavailable":
      return status.message;
    case "contact_admin":
      return "You have no SafeNet account yet. Contact an administrator to have one created.";
    case "not_applicable":
      return "Multi-factor authentication does not apply to you: you have no SafeNet account.";
    case "activate":
      return `Token ${status.token.serial} already waits for activation. Activate it, or send a new activation.`;
    case "active":
      return `Token ${status.token.serial} is already active. Manage it under My token.`;
    case "blocked":
      return `Token ${status.token.serial} is ${status.token.state}. Ask an administrator to help, or report it lost under My token.`;
    case "choose_pin":
      return "";
  }
}
