import { z } from "zod";
import { testConnectionSchema } from "@/app/admin/exclusions/schemas";
import type { OtpAnswer, PasscodePolicy } from "@/lib/connect/answers";
import type { ActionFailure } from "@/lib/forms/state";
import type { DecisionView } from "@/lib/connect/trace";
import type { EnrollmentWizardProps } from "../enroll/enrollment-wizard";

// The connection test's form schemas and the shapes its actions answer with (a "use server" file
// may only export async functions, so they live here).

// The same user and address checks as the admin console's Test a connection, plus the password.
export const decideConnectionSchema = testConnectionSchema.extend({
  password: z.string({ error: "Enter the domain password." }).min(1, "Enter the domain password, as the client's logon dialog asks for it."),
});

export const sendPasscodeSchema = z.object({
  ticket: z.string().min(1).max(2000),
  passcode: z
    .string()
    .default("")
    .transform((s) => s.replace(/\s+/g, "")),
  // SafeNet's opaque resync state, echoed back once after code 5 (over RADIUS: the State's octets, base64url).
  state: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  // How the passcode goes to SafeNet: the OTP service over HTTP, or RADIUS (the portal as a RADIUS client).
  via: z.enum(["http", "radius"]).catch("http"),
});

export type Transport = "http" | "radius";

export interface RunView {
  /** New for every decision, so the steps after it start fresh. */
  id: string;
  user: { upn: string; displayName: string; groups: string[]; safenetAccount: boolean; tokens: string[] };
  connection: { clientIp: string; clientMac: string; gateway: string };
  settings: string;
  decision: DecisionView;
  /** Signed proof of the password step, for the OTP prompt; set for the OTP prompt and New Account Info. */
  ticket?: string;
  otp?: { hint: string; policy: PasscodePolicy | null };
  enroll?: Omit<EnrollmentWizardProps, "returnTo">;
}

export type DecideState = { status: "idle" } | ActionFailure | { status: "decided"; message: string; values: Record<string, string>; run: RunView };

export type OtpState =
  | { status: "idle" }
  | { status: "error"; message: string; fieldErrors?: Record<string, string>; resyncState?: string; expired?: boolean; via?: Transport }
  | {
      status: "answered";
      /** "1 AUTH_SUCCESS — SafeNet authentication OK." */
      message: string;
      answer: OtpAnswer;
      explanation: string;
      attempts?: string;
      /** Set after code 5: the next passcode goes with it. */
      resyncState?: string;
      done: boolean;
      /** The path this answer came by; a resync continues on it. */
      via?: Transport;
    };
