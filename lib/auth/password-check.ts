import { clearThrottle, getThrottle, putThrottle } from "@/db/queries/throttle";
import { safenetClient, SafeNetError, type SafeNetEndpoints, type SafeNetUser } from "@/lib/safenet/client";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, accountKey, addressKey, afterFailure, blockedFor, waitSentence } from "./throttle";

// The domain password checked through SafeNet, throttled per account and per client address: the
// one rule for the portal's sign-in and the connection test's logon dialog.

export type PasswordOutcome =
  | { ok: true; user: SafeNetUser }
  | { ok: false; reason: "throttled" | "wrong_password" | "unavailable"; message: string };

export async function checkPasswordThrottled(
  endpoints: SafeNetEndpoints,
  username: string,
  password: string,
  clientIp: string,
): Promise<PasswordOutcome> {
  const now = Date.now();
  const keys = { account: accountKey(username), address: addressKey(clientIp) };
  const wait = Math.max(blockedFor(getThrottle(keys.account), now), blockedFor(getThrottle(keys.address), now));
  if (wait > 0) return { ok: false, reason: "throttled", message: waitSentence(wait) };
  let user: SafeNetUser | null;
  try {
    user = await safenetClient(endpoints).authenticate(username, password);
  } catch (err) {
    const message = err instanceof SafeNetError ? err.message : "SafeNet could not be asked.";
    return { ok: false, reason: "unavailable", message };
  }
  if (!user) {
    putThrottle(keys.account, afterFailure(getThrottle(keys.account), ACCOUNT_LIMIT, now));
    putThrottle(keys.address, afterFailure(getThrottle(keys.address), ADDRESS_LIMIT, now));
    return { ok: false, reason: "wrong_password", message: "The user name or password is not right. Check them and try again." };
  }
  clearThrottle(keys.account);
  return { ok: true, user };
}
