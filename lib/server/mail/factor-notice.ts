import "server-only";
import type { FactorChange } from "@/emails/security-notice";
import type { SafeNetClient } from "@/lib/server/safenet/client";
import { sendSecurityNotice } from "./notifications";
import { safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";

// Every change to a user's second factor is told to the address the directory holds, read fresh
// from SafeNet: never the session's email nor an address typed at enrollment. A failed notice
// never undoes the change; it is recorded as a failed mail event.

export type { FactorChange };

export interface FactorChangeNotice {
  upn: string;
  change: FactorChange;
  serial: string;
  /** The client address of the request that made the change. */
  clientIp: string | null;
  by?: "self" | "admin";
  /** Where the activation email of an issued or reissued token went. */
  activationTo?: string;
  lockedUntil?: string | null;
  at?: Date;
  /** The caller's SafeNet client, when it has one. */
  client?: SafeNetClient;
}

export type NoticeOutcome = { sent: true; to: string } | { sent: false; error: string };

export async function notifyFactorChange(n: FactorChangeNotice): Promise<NoticeOutcome> {
  const at = (n.at ?? new Date()).toISOString();
  const failed = async (reason: string, error: string): Promise<NoticeOutcome> => {
    await store.recordEvent({ type: "mail.security-notice", kind: "enrollment", user: n.upn, serial: n.serial, result: "failure", reason, detail: { change: n.change, error } });
    return { sent: false, error };
  };
  let owner: { upn: string; displayName: string; email: string };
  try {
    owner = await (n.client ?? (await safenet())).getUser(n.upn);
  } catch (err) {
    return failed("directory_unavailable", `The directory could not be read for ${n.upn} (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (!owner.email?.trim()) return failed("no_address", `The directory holds no email address for ${owner.upn}.`);
  try {
    await sendSecurityNotice({
      to: owner.email,
      upn: owner.upn,
      displayName: owner.displayName,
      change: n.change,
      serial: n.serial,
      at,
      clientIp: n.clientIp || "unknown",
      by: n.by ?? "self",
      activationTo: n.activationTo,
      lockedUntil: n.lockedUntil,
    });
    return { sent: true, to: owner.email };
  } catch (err) {
    // deliver() has recorded the failed send as a mail event.
    return { sent: false, error: err instanceof Error ? err.message : String(err) };
  }
}
