"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { endOtherSessions } from "@/lib/auth/session-refresh";
import { parseForm, type ActionState } from "@/lib/forms";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/auth/request-info";
import { notifyFactorChange, type FactorChange } from "@/lib/mail/factor-notice";
import { type SafeNetClient, type SafeNetToken } from "@/lib/safenet/client";
import { ENDS_SESSIONS, errorSentence, isSafeNetError, TOKEN_ACTIONS, type TokenAction } from "@/lib/safenet/token-actions";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

// One server action per token operation: validate → authorize → SafeNet → event → revalidate.

const target = {
  upn: z.string().trim().min(1, "The user is missing. Reload the page.").max(256),
  serial: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "The token serial is not valid. Reload the page."),
};
const code = (which: string) =>
  z.string().trim().regex(/^[0-9]{6,8}$/, `Enter the ${which} code as MobilePASS shows it: 6 or 8 digits.`);
const pin = z.string().regex(/^[0-9]{4,8}$/, "Enter a PIN of 4 to 8 digits.");

const tokenSchema = z.object(target);
const resyncSchema = z.object({ ...target, otp1: code("first"), otp2: code("next") });
const pinSchema = z
  .object({ ...target, pin, pinConfirm: z.string() })
  .refine((v) => v.pin === v.pinConfirm, { path: ["pinConfirm"], message: "The two PINs are not the same. Enter the new PIN twice." });

type Target = z.infer<typeof tokenSchema>;

/** Field names SafeNet may name in a 400's details, mapped onto this page's form fields. */
const FORM_FIELDS = new Set(["otp1", "otp2", "pin"]);

function fieldErrorsOf(err: unknown, sentence: string): Record<string, string> | undefined {
  if (!isSafeNetError(err) || err.status !== 400 || !err.details) return undefined;
  const fields = Object.keys(err.details).filter((k) => FORM_FIELDS.has(k));
  if (fields.length === 0) return undefined;
  return Object.fromEntries(fields.map((f, i) => [f, i === 0 ? sentence : "Check this value as well."]));
}

const CHANGES: Record<TokenAction, FactorChange> = {
  suspend: "suspended",
  reactivate: "reactivated",
  unlock: "unlocked",
  revoke: "revoked",
  resync: "resynced",
  pin: "pin-changed",
  reissue: "reissued",
  delete: "deleted",
};

/** Tells the user, at the directory's address, of every change to their token; a failed mail is reported, the action stands. */
async function notifyUser(client: SafeNetClient, action: TokenAction, upn: string, serial: string): Promise<string> {
  const clientIp = clientAddress(await headers());
  const notice = await notifyFactorChange({ upn, change: CHANGES[action], serial, clientIp, by: "admin", client });
  return notice.sent ? ` ${upn} was told by email.` : ` The email to ${upn} could not be sent (${notice.error}); tell them yourself.`;
}

function revalidate() {
  revalidatePath("/admin/users/[upn]", "page");
  revalidatePath("/admin/users");
}

async function runTokenAction<T extends Target>(
  action: TokenAction,
  schema: z.ZodType<T>,
  form: FormData,
  call: (client: SafeNetClient, data: T) => Promise<SafeNetToken | void>,
): Promise<ActionState> {
  const viewer = await requireAdmin();
  const parsed = parseForm(schema, form);
  if (!parsed.ok) return parsed.state;
  const { upn, serial } = parsed.data;
  const client = await safenet();
  const event = { type: `admin.token.${action}`, kind: "admin" as const, actor: viewer.upn, user: upn, serial };

  let after: SafeNetToken | void;
  let owner: string;
  try {
    // Authorize against SafeNet, not the form: the event and the ended sessions must name the token's real owner.
    const token = await client.getToken(serial);
    if (!token.user || token.user.toLowerCase() !== upn.toLowerCase()) {
      return { status: "error", message: `Token ${serial} does not belong to ${upn}. Reload the page to see ${upn}'s tokens.` };
    }
    owner = token.user;
    after = await call(client, parsed.data);
  } catch (err) {
    const message = errorSentence(err, action);
    await store.recordEvent({ ...event, result: "failure", reason: isSafeNetError(err) ? err.code : "error", detail: { message } });
    revalidate();
    return { status: "error", message, fieldErrors: fieldErrorsOf(err, message) };
  }

  if (ENDS_SESSIONS.has(action)) await endOtherSessions(owner);
  await store.recordEvent({
    ...event,
    result: "success",
    detail: { state: after ? after.state : null, ...(ENDS_SESSIONS.has(action) && { sessionsEnded: true }) },
  });
  const mailNote = await notifyUser(client, action, owner, serial);
  revalidate();
  return { status: "success", message: TOKEN_ACTIONS[action].done(serial, owner) + mailNote };
}

export async function suspendToken(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("suspend", tokenSchema, form, (c, d) => c.tokenAction(d.serial, "suspend"));
}

export async function reactivateToken(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("reactivate", tokenSchema, form, (c, d) => c.tokenAction(d.serial, "reactivate"));
}

export async function unlockToken(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("unlock", tokenSchema, form, (c, d) => c.tokenAction(d.serial, "unlock"));
}

export async function revokeToken(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("revoke", tokenSchema, form, (c, d) => c.tokenAction(d.serial, "revoke"));
}

export async function resyncToken(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("resync", resyncSchema, form, (c, d) => c.resync(d.serial, d.otp1, d.otp2));
}

export async function resetTokenPin(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("pin", pinSchema, form, (c, d) => c.setPin(d.serial, d.pin));
}

// The activation key and seed in SafeNet's answer are dropped here: the admin never sees them.
export async function reissueToken(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("reissue", tokenSchema, form, async (c, d) => (await c.reissue(d.serial)).token);
}

export async function deleteToken(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runTokenAction("delete", tokenSchema, form, (c, d) => c.deleteToken(d.serial));
}
