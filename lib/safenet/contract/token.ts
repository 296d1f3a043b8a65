import { z } from "zod";
import { OTP_MODES, TOKEN_STATES } from "./states";

// Tokens as the TMS Web API shows them, the one-time activation block of provisioning and reissue,
// and the bodies the token endpoints take.

export const tokenStateSchema = z.enum(TOKEN_STATES);
export const otpModeSchema = z.enum(OTP_MODES);

const isoTime = z.iso.datetime();

export const tokenSchema = z.object({
  serial: z.string().min(1),
  type: z.string().min(1),
  otpMode: otpModeSchema,
  otpLength: z.number().int().positive(),
  state: tokenStateSchema,
  user: z.string().nullable(),
  failCount: z.number().int().nonnegative(),
  lockedUntil: isoTime.nullable(),
  createdAt: isoTime,
  activatedAt: isoTime.nullable(),
  lastUsedAt: isoTime.nullable(),
});
export type Token = z.infer<typeof tokenSchema>;

export const activationSchema = z.object({
  activationKey: z.string().regex(/^[A-Za-z0-9]{16}$/, "is not 16 letters and digits"),
  seedFile: z.object({ filename: z.string().min(1), contentType: z.string().min(1), base64: z.base64() }),
  otpauthUri: z.string().startsWith("otpauth://"),
  downloadUrl: z.url(),
});
export type Activation = z.infer<typeof activationSchema>;

/** The answer of provisioning and of `reissue`: the only answers that carry the activation block. */
export const provisionAnswerSchema = z.object({ token: tokenSchema, activation: activationSchema });
export type ProvisionAnswer = z.infer<typeof provisionAnswerSchema>;

export const tokensPageSchema = z.object({ tokens: z.array(tokenSchema), nextCursor: z.string().nullable() });
export type TokensPage = z.infer<typeof tokensPageSchema>;

export const importAnswerSchema = z.object({
  added: z.array(z.string()),
  rejected: z.array(z.object({ serial: z.string(), reason: z.string() })),
});
export type ImportAnswer = z.infer<typeof importAnswerSchema>;

const pinField = z.string().max(16);
const otpField = z.string().min(1).max(16);

export const provisionRequestSchema = z
  .object({
    type: z.literal("MobilePASS"),
    otpMode: otpModeSchema,
    pin: pinField.optional(),
    email: z.email().max(256).optional(),
  })
  .strict();
export type ProvisionRequest = z.infer<typeof provisionRequestSchema>;

export const activateRequestSchema = z.object({ passcode: z.string().min(1).max(32) }).strict();
export const resyncRequestSchema = z.object({ otp1: otpField, otp2: otpField }).strict();
export const setPinRequestSchema = z.object({ pin: pinField }).strict();
export const reissueRequestSchema = z.object({ pin: pinField.optional() }).strict();
export const importRequestSchema = z.object({ pskc: z.string().min(1), password: z.string().max(256).optional() }).strict();
