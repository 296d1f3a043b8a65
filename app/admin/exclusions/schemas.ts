import { z } from "zod";
import type { ActionState } from "@/lib/forms/state";
import type { Outcome, TraceStep } from "@/lib/mfa/decision";
import type { ListKind } from "@/lib/mfa/rules";
import type { Result } from "@/lib/net/ip";
import { parseIp } from "@/lib/net/ip";
import { parseMac } from "@/lib/net/mac";

// Form schemas and the shapes the exclusions actions answer with (a "use server" file may only
// export async functions, so they live here).

const listKind = z.enum(["users", "clientIps", "macs", "gateways"], { error: "Choose one of the four lists." });

// Validity of the value itself is normalizeEntry's job; its sentence is the one shown.
// `addAnyway` carries the (normalized) value an administrator confirmed after a warning; only that value.
export const addExclusionSchema = z.object({ kind: listKind, value: z.string({ error: "Type a value to add." }), addAnyway: z.string().prefault("") });

export { CONFIRM_KEY } from "./form-keys";

export const removeExclusionSchema = z.object({
  id: z.coerce.number({ error: "Choose the entry to remove." }).int().positive("Choose the entry to remove."),
});

const on = z.literal("on").optional();
export const saveExclusionDefaultsSchema = z
  .object({
    defaultMode: z.enum(["mfa", "none"], { error: "Choose whether MFA applies to all connections or to none by default." }),
    users: on,
    clientIps: on,
    macs: on,
    gateways: on,
  })
  .transform((f) => ({
    defaultMode: f.defaultMode,
    enabled: { users: !!f.users, clientIps: !!f.clientIps, macs: !!f.macs, gateways: !!f.gateways },
  }));

const optionalAddress = (parse: (text: string) => Result<unknown>) =>
  z
    .string()
    .trim()
    .default("")
    .superRefine((text, ctx) => {
      const parsed = text ? parse(text) : null;
      if (parsed && !parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
    });

export const testConnectionSchema = z.object({
  username: z
    .string({ error: "Enter the user's logon name." })
    .trim()
    .min(1, "Enter the user's logon name: alice@corp.local, CORP\\alice or alice."),
  clientIp: optionalAddress(parseIp),
  clientMac: optionalAddress(parseMac),
  gateway: optionalAddress(parseIp),
});

export const LIST_TITLES: Record<ListKind, string> = {
  users: "Users and groups",
  clientIps: "Client IP addresses",
  macs: "Client MAC addresses",
  gateways: "Gateway IP addresses",
};

export const OUTCOME_TITLES: Record<Outcome, string> = {
  allow: "Allow without MFA",
  require_otp: "Require PIN and one-time password",
  enroll: "Enroll a token (New Account Info)",
  deny: "Deny the logon",
};

export interface TestResult {
  outcome: Outcome;
  /** OUTCOME_TITLES[outcome]. */
  title: string;
  reason: string;
  /** "Excluded by …", "MFA required by …" or "No rule matched…": the rule with its list and value. */
  decidedBy: string;
  trace: TraceStep[];
  user: { upn: string; displayName: string; groups: string[]; safenetAccount: boolean; tokens: string[] };
  settings: string;
}

export type TestState =
  | Exclude<ActionState, { status: "success" }>
  | { status: "decided"; message: string; values: Record<string, string>; result: TestResult };
