import type { SafeNetClient, SafeNetToken } from "@/lib/safenet/client";
import { sendTokenLocked } from "./notifications";

// A failed passcode that locked the token mails its owner. Only the failure that locks it can
// see a Locked token here: later attempts are answered "locked" and are not counted failures.
export async function mailIfLocked(client: SafeNetClient, token: SafeNetToken | null): Promise<void> {
  if (!token || token.state !== "Locked" || !token.user) return;
  try {
    const owner = await client.getUser(token.user);
    await sendTokenLocked({ to: owner.email, upn: owner.upn, displayName: owner.displayName, serial: token.serial, lockedUntil: token.lockedUntil });
  } catch {
    // sendTokenLocked records its own failure event; a logon answer must not fail because of mail.
  }
}
