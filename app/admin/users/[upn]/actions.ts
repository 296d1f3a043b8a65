"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { clientAddress } from "@/lib/runtime/request-info";
import type { Viewer } from "@/lib/server/auth/session";
import { endOtherSessions } from "@/lib/server/auth/session-refresh";
import { anyPin, otpCode, tokenSerial, upn, withNewPin } from "@/lib/forms/fields";
import type { ActionState } from "@/lib/forms/state";
import { notifyFactorChange, type FactorChange } from "@/lib/server/mail/factor-notice";
import { type SafeNetClient } from "@/lib/server/safenet/client";
import { type Token } from "@/lib/safenet/contract";
import { ENDS_SESSIONS, errorSentence, isSafeNetError, TOKEN_ACTIONS, type TokenAction } from "@/lib/safenet/token-actions";
import { defineAction } from "@/lib/server/action";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

// One server action per token operation: authorize → validate → SafeNet → event → revalidate.

const target = { upn, serial: tokenSerial };

const tokenSchema = z.object(target);
const resyncSchema = z.object({ ...target, otp1: otpCode("first"), otp2: otpCode("next") });
const pinSchema = withNewPin(target, { pin: "pin", confirm: "pinConfirm" }, anyPin);

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

const eventOf = (action: TokenAction, viewer: Viewer, { upn, serial }: Target) =>
  ({ type: `admin.token.${action}`, kind: "admin", actor: viewer.upn, user: upn, serial }) as const;

function tokenAction<D extends Target>(
  action: TokenAction,
  schema: z.ZodType<D, z.input<typeof tokenSchema>>,
  call: (client: SafeNetClient, data: D) => Promise<Token | void>,
) {
  return defineAction({
    authorize: "admin",
    schema,
    hidden: ["upn", "serial"],
    run: async ({ viewer, data, fail }): Promise<ActionState> => {
      const { upn, serial } = data;
      const client = await safenet();
      // Authorize against SafeNet, not the form: the event and the ended sessions must name the token's real owner.
      const token = await client.getToken(serial);
      if (!token.user || token.user.toLowerCase() !== upn.toLowerCase()) {
        return fail(`Token ${serial} does not belong to ${upn}. Reload the page to see ${upn}'s tokens.`);
      }
      const owner = token.user;
      const after = await call(client, data);

      if (ENDS_SESSIONS.has(action)) await endOtherSessions(owner);
      await store.recordEvent({
        ...eventOf(action, viewer, data),
        result: "success",
        detail: { state: after ? after.state : null, ...(ENDS_SESSIONS.has(action) && { sessionsEnded: true }) },
      });
      const mailNote = await notifyUser(client, action, owner, serial);
      revalidate();
      return { status: "success", message: TOKEN_ACTIONS[action].done(serial, owner) + mailNote };
    },
    failed: async (err, { viewer, data, fail }) => {
      const message = errorSentence(err, action);
      await store.recordEvent({ ...eventOf(action, viewer, data), result: "failure", reason: isSafeNetError(err) ? err.code : "error", detail: { message } });
      revalidate();
      return fail(message, fieldErrorsOf(err, message));
    },
  });
}

export const suspendToken = tokenAction("suspend", tokenSchema, (c, d) => c.tokenAction(d.serial, "suspend"));

export const reactivateToken = tokenAction("reactivate", tokenSchema, (c, d) => c.tokenAction(d.serial, "reactivate"));

export const unlockToken = tokenAction("unlock", tokenSchema, (c, d) => c.tokenAction(d.serial, "unlock"));

export const revokeToken = tokenAction("revoke", tokenSchema, (c, d) => c.tokenAction(d.serial, "revoke"));

export const resyncToken = tokenAction("resync", resyncSchema, (c, d) => c.resync(d.serial, d.otp1, d.otp2));

export const resetTokenPin = tokenAction("pin", pinSchema, (c, d) => c.setPin(d.serial, d.pin));

// The activation key and seed in SafeNet's answer are dropped here: the admin never sees them.
export const reissueToken = tokenAction("reissue", tokenSchema, async (c, d) => (await c.reissue(d.serial)).token);

export const deleteToken = tokenAction("delete", tokenSchema, (c, d) => c.deleteToken(d.serial));
