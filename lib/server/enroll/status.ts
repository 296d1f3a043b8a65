import "server-only";
import { headers } from "next/headers";
import type { PortalEvent } from "@/db/queries/events";
import { clientAddress } from "@/lib/runtime/request-info";
import { DEFAULT_PIN_LENGTHS, type PinLengths } from "@/lib/enroll/pin-rules";
import { statusOf, type EnrollmentSettings, type EnrollmentStatus, type Refused } from "@/lib/enroll/status";
import type { User } from "@/lib/safenet/contract";
import { safenet } from "@/lib/server/safenet/endpoints";
import { errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";
import { store } from "@/lib/server/store";

// What every enrollment service starts from: the user's standing at SafeNet, the policy's PIN
// lengths, and how a step is recorded and refused.

export async function enrollmentStatus(upn: string, settings: EnrollmentSettings): Promise<EnrollmentStatus> {
  if (settings.provider === "none") return { kind: "provider_none" };
  let user: User;
  try {
    user = await (await safenet()).getUser(upn);
  } catch (err) {
    return { kind: "unavailable", message: errorSentence(err) };
  }
  return statusOf(user, settings);
}

/** The PIN lengths the SafeNet policy asks for (4 digits when the policy cannot be read). */
export async function pinLengths(): Promise<PinLengths> {
  try {
    const p = await (await safenet()).policy();
    return { min: p.pinMinLength, max: p.pinMaxLength };
  } catch {
    return DEFAULT_PIN_LENGTHS;
  }
}

/** The address the request came from, for events and notices. */
export const requestAddress = async () => clientAddress(await headers());

/** An enrollment event by the user themself, from the request's address; never a secret in it. */
export async function enrollmentEvent(e: Omit<PortalEvent, "clientIp" | "actor">): Promise<void> {
  await store.recordEvent({ ...e, actor: e.user, clientIp: await requestAddress() });
}

/** SafeNet's refusal as the wizard shows it, naming the field SafeNet objected to. */
export function refused(err: unknown): Refused {
  const message = errorSentence(err);
  const details = isSafeNetError(err) && err.status === 400 ? err.details : undefined;
  const field = details ? ["pin", "email", "passcode"].find((f) => f in details) : undefined;
  return { ok: false, message, field };
}

export const failureReason = (err: unknown) => (isSafeNetError(err) ? err.code : "error");
