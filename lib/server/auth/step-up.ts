import "server-only";
import { headers } from "next/headers";
import { safenetClient } from "@/lib/server/safenet/client";
import { SafeNetError } from "@/lib/safenet/contract";
import { safenet } from "@/lib/server/safenet/endpoints";
import { PASSCODE_HINT, readPasscode } from "../../auth/passcode";
import { clientAddress } from "../../runtime/request-info";
import type { Viewer } from "./session";
import { currentSessionId } from "./session-cookie";
import { stepUpIsRecent } from "../../auth/session-rules";
import { store } from "@/lib/server/store";

// Sudo mode, as GitHub has it: changes that decide where credentials go need a PIN + OTP from the
// last five minutes. The passcode is checked by the OTP service that is saved now, never by one
// the form is about to save.

export type StepUpOutcome = { ok: true } | { ok: false; message: string };

/** `change` names what is being confirmed, in the refusal's sentence ("Changing a SafeNet service URL"). */
export async function requireRecentStepUp(viewer: Viewer, passcodeInput: unknown, now = Date.now(), change = "Changing a SafeNet service URL"): Promise<StepUpOutcome> {
  if (stepUpIsRecent(viewer.stepUpAt, now)) return { ok: true };
  if (typeof passcodeInput !== "string" || passcodeInput.trim() === "") {
    return { ok: false, message: `${change} needs your PIN and one-time password from the last five minutes: enter them here.` };
  }
  const passcode = readPasscode(passcodeInput);
  if (!passcode) return { ok: false, message: PASSCODE_HINT };
  const clientIp = clientAddress(await headers());
  let answer;
  try {
    answer = await (await safenet()).validate({ username: viewer.upn, passcode, clientIp });
  } catch (err) {
    return { ok: false, message: err instanceof SafeNetError ? err.message : "The OTP service could not be asked. Try again." };
  }
  const ok = answer.code === 1;
  await store.recordEvent({
    type: "step-up",
    kind: "sign-in",
    actor: viewer.upn,
    user: viewer.upn,
    serial: answer.serial,
    result: ok ? "success" : "failure",
    clientIp,
    reason: answer.reason ?? (answer.code === 5 ? "outer_window" : null),
  });
  if (!ok) return { ok: false, message: `${answer.message} Enter your PIN followed by the current code from MobilePASS.` };
  const sid = await currentSessionId();
  if (sid) await store.markSteppedUp(sid, now);
  return { ok: true };
}
