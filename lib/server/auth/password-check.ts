import "server-only";
import { safenetClient, type SafeNetEndpoints } from "@/lib/server/safenet/client";
import { SafeNetError, type User } from "@/lib/safenet/contract";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, accountKey, addressKey, waitSentence } from "../../auth/throttle";
import { store } from "@/lib/server/store";

// The domain password checked through SafeNet, throttled per account and per client address: the
// one rule for the portal's sign-in and the connection test's logon dialog. The attempt is counted
// before SafeNet is asked, so parallel guesses cannot all slip past the limit, and a SafeNet
// time-out or error still counts.

/** Whom a failed attempt's event names: the UPN when the directory knows the typed name, which then stays in detail. */
export interface FiledAs {
  user: string;
  detail?: { username: string };
}

export type PasswordOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: "throttled" | "wrong_password"; message: string; filedAs: FiledAs }
  /** `code`: SafeNet's error code, or "no_answer" when nothing usable came back. */
  | { ok: false; reason: "unavailable"; message: string; code: string };

/** `erin` and `CORP\erin` are filed as erin@corp.local, so filtering the events on the UPN finds every failure. */
async function filedAs(endpoints: SafeNetEndpoints, username: string): Promise<FiledAs> {
  const typed = username.trim().toLowerCase();
  const known = await safenetClient(endpoints).getUser(typed).catch(() => null);
  const upn = known?.upn.toLowerCase();
  return upn && upn !== typed ? { user: upn, detail: { username: typed } } : { user: typed };
}

export async function checkPasswordThrottled(
  endpoints: SafeNetEndpoints,
  username: string,
  password: string,
  clientIp: string,
): Promise<PasswordOutcome> {
  const account = { key: accountKey(username), limit: ACCOUNT_LIMIT };
  const address = { key: addressKey(clientIp), limit: ADDRESS_LIMIT };
  const wait = await store.reserveAttempt([account, address]);
  // A blocked attempt must not reach SafeNet at all, not even to look the name up: it is filed as typed.
  if (wait > 0) return { ok: false, reason: "throttled", message: waitSentence(wait), filedAs: { user: username.trim().toLowerCase() } };
  let user: User | null;
  try {
    user = await safenetClient(endpoints).authenticate(username, password);
  } catch (err) {
    const message = err instanceof SafeNetError ? err.message : "SafeNet could not be asked.";
    return { ok: false, reason: "unavailable", message, code: err instanceof SafeNetError ? err.code : "no_answer" };
  }
  if (!user) {
    const message = "The user name or password is not right. Check them and try again.";
    return { ok: false, reason: "wrong_password", message, filedAs: await filedAs(endpoints, username) };
  }
  await store.attemptSucceeded(account.key, address);
  return { ok: true, user };
}
