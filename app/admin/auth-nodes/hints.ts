import { RADIUS_SECRET_LIMITS } from "@/lib/safenet/contract/limits";

// The add form's hint, apart from the form schemas so that the page's JavaScript does not carry zod.
export const SECRET_HINT = `Leave empty and the portal makes one (32 random bytes, base64url). Your own: ${RADIUS_SECRET_LIMITS.min} to ${RADIUS_SECRET_LIMITS.max} printable characters without spaces, as the NAS is configured.`;
