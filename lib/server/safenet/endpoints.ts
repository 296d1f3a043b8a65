import "server-only";
import { safenetClient, type SafeNetClient, type SafeNetEndpoints } from "@/lib/server/safenet/client";
import { store } from "@/lib/server/store";

// The SafeNet this installation talks to, as the administrator last saved it: read on every use,
// so a change applies to the next request without a restart.

export async function endpoints(): Promise<SafeNetEndpoints> {
  const s = await store.getMfaSettings();
  return { tmsUrl: s.tmsUrl, otpServiceUrl: s.otpServiceUrl, repository: s.userRepository };
}

/** A client for the saved SafeNet. */
export async function safenet(): Promise<SafeNetClient> {
  return safenetClient(await endpoints());
}
