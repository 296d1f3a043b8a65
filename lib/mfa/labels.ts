// The MFA page's choices and their labels, apart from the settings schema so that client components
// showing them do not carry zod.

export const MODES = {
  mandatory: "Mandatory for all users",
  create_token: "Create token for Domain Authenticated Users",
  account_only: "Use only for users with a SafeNet account",
} as const;

export const TOKEN_TYPES = { time: "MobilePASS, time-based", event: "MobilePASS, event-based" } as const;
