import { createHash, randomBytes } from "node:crypto";

// An invitation link's secret: 256 random bits, base64url in the URL; the portal keeps and looks
// up only its SHA-256. Node only (node:crypto).

/** A link token is exactly this; anything else is refused before the database is asked. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const newLinkToken = () => randomBytes(32).toString("base64url");

export const hashLinkToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
