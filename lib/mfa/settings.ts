import { z } from "zod";
import { MODES, TOKEN_TYPES } from "./labels";

// The RAS "Multi-factor authentication" settings: provider, SafeNet properties, exclusion defaults.
// Pure: the caller supplies the environment's SafeNet URL for the defaults.

export { MODES, TOKEN_TYPES };

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}.`)
    .refine((v) => {
      try {
        return ["http:", "https:"].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `Enter the ${what} as a full http:// or https:// address.`);

export const mfaSettingsSchema = z.object({
  provider: z.enum(["none", "safenet"], { error: "Choose None or SafeNet." }),
  otpServiceUrl: httpUrl("OTP Service URL"),
  mode: z.enum(["mandatory", "create_token", "account_only"], { error: "Choose an authentication mode." }),
  tokenType: z.enum(["time", "event"], { error: "Choose a token type." }),
  tmsUrl: httpUrl("TMS Web API URL"),
  userRepository: z.string().trim().min(1, "Choose a user repository."),
  // Split delivery: the activation key and PIN are shown only in the portal, never mailed.
  // A checkbox posts "on" or nothing; stored settings hold a boolean.
  splitDelivery: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
});

export type MfaSettings = z.infer<typeof mfaSettingsSchema>;

export function defaultMfaSettings(safenetUrl: string): MfaSettings {
  const base = safenetUrl.replace(/\/+$/, "");
  return {
    provider: "safenet",
    otpServiceUrl: `${base}/TokenValidator/TokenValidator.asmx`,
    mode: "create_token",
    tokenType: "time",
    tmsUrl: `${base}/TMSWebAPI/v1`,
    userRepository: "corp.local",
    splitDelivery: false,
  };
}

/**
 * The NetBIOS name of a repository's domain, as in CORP\alice: Active Directory's default, the first
 * label of the DNS name in upper case, at most 15 characters (corp.local → CORP).
 */
export function netbiosNameOf(repository: string): string {
  return repository.trim().split(".")[0].toUpperCase().slice(0, 15);
}

/** The DomainNames the exclusion rules take for the configured user repository. */
export function repositoryDomains(repository: string): Record<string, string> {
  const dns = repository.trim().toLowerCase();
  return dns ? { [netbiosNameOf(dns)]: dns } : {};
}

export const exclusionSettingsSchema = z.object({
  defaultMode: z.enum(["mfa", "none"]),
  enabled: z.object({ users: z.boolean(), clientIps: z.boolean(), macs: z.boolean(), gateways: z.boolean() }),
});

export type ExclusionDefaults = z.infer<typeof exclusionSettingsSchema>;

export const DEFAULT_EXCLUSIONS: ExclusionDefaults = {
  defaultMode: "mfa",
  enabled: { users: true, clientIps: true, macs: true, gateways: true },
};

/** Field-by-field before → after, for the event log (these settings hold no secret). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): { field: string; before: unknown; after: unknown }[] {
  return Object.keys(after)
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}
