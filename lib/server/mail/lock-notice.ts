import "server-only";
import type { SafeNetClient } from "@/lib/server/safenet/client";
import type { Token } from "@/lib/safenet/contract";
import { notifyFactorChange } from "./factor-notice";

// A failed passcode that locked the token mails its owner. Only the failure that locks it can
// see a Locked token here: later attempts are answered "locked" and are not counted failures.
// `clientIp` is the address the locking attempt came from. The notice never throws.
export async function mailIfLocked(client: SafeNetClient, token: Token | null, clientIp: string | null = null): Promise<void> {
  if (!token || token.state !== "Locked" || !token.user) return;
  await notifyFactorChange({ upn: token.user, change: "locked", serial: token.serial, clientIp, lockedUntil: token.lockedUntil, client });
}
