// Which service URLs are checked before a save, and the form names that carry the check's outcome.
// Shared by the action (server) and the form (client), so it holds no server code.

export const SERVICE_URL_FIELDS = ["otpServiceUrl", "tmsUrl"] as const;
export type ServiceUrlField = (typeof SERVICE_URL_FIELDS)[number];

/** The checkbox confirming a URL whose check failed; its value is the URL it confirms. */
export const saveAnywayName = (field: ServiceUrlField) => `saveAnyway-${field}` as const;

/** The field-error key under which a refused save names the URL that did not answer. */
export const failedUrlKey = (field: ServiceUrlField) => `${field}-failed` as const;
