import { z } from "zod";

// The OTP validator ("OTP Service URL"): what a validation asks and SafeNet's answers, with the
// codes, results and messages that real SafeNet agents expect.

export const VALIDATION_REASONS = ["wrong_pin", "wrong_otp", "replayed", "locked", "suspended", "not_active", "no_token", "unknown_user"] as const;
export const validationReasonSchema = z.enum(VALIDATION_REASONS);
export type ValidationReason = z.infer<typeof validationReasonSchema>;

/** Each answer code with its result name and its message (failures may carry a more precise one). */
export const VALIDATION_CODES = {
  0: { result: "AUTH_FAILURE", message: "SafeNet authentication failed." },
  1: { result: "AUTH_SUCCESS", message: "SafeNet authentication OK." },
  5: { result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response." },
} as const;
export type ValidationCode = keyof typeof VALIDATION_CODES;

/** The failure messages that name the token's state instead of the plain one. */
export const FAILURE_MESSAGES = {
  locked: "User's token is locked.",
  suspended: "User's token is suspended.",
} as const satisfies Partial<Record<ValidationReason, string>>;

/** The message of a failure (code 0) for `reason`. */
export function failureMessage(reason: ValidationReason): string {
  return reason === "locked" || reason === "suspended" ? FAILURE_MESSAGES[reason] : VALIDATION_CODES[0].message;
}

export const validationRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(256),
    passcode: z.string().min(1).max(64),
    state: z.string().min(1).max(128).optional(),
    clientIp: z.string().max(64).optional(),
    organization: z.string().min(1).max(256).optional(),
  })
  .strict();
export type ValidationRequest = z.infer<typeof validationRequestSchema>;

export const validationAnswerSchema = z
  .object({
    code: z.union([z.literal(0), z.literal(1), z.literal(5)]),
    result: z.enum(["AUTH_FAILURE", "AUTH_SUCCESS", "OUTER_WINDOW_AUTH"]),
    message: z.string(),
    serial: z.string().optional(),
    reason: validationReasonSchema.optional(),
    state: z.string().min(1).optional(),
  })
  .superRefine((a, ctx) => {
    if (VALIDATION_CODES[a.code].result !== a.result) ctx.addIssue({ code: "custom", path: ["result"], message: `is not the result of code ${a.code}` });
    if (a.code === 0 && a.reason === undefined) ctx.addIssue({ code: "custom", path: ["reason"], message: "is missing from a failure" });
    if (a.code === 5 && a.state === undefined) ctx.addIssue({ code: "custom", path: ["state"], message: "is missing from a code 5 answer" });
  });
export type ValidationAnswer = z.infer<typeof validationAnswerSchema>;
