import { toString as qrToString } from "qrcode";

// What an authenticator app needs from an otpauth URI: a QR code to scan, or the key to type.

/** The otpauth URI as an SVG QR code (medium error correction, the usual quiet zone). */
export function qrSvg(otpauthUri: string): Promise<string> {
  return qrToString(otpauthUri, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}

/** The base32 secret of an otpauth URI, for apps that cannot scan. */
export function manualKey(otpauthUri: string): string {
  const secret = new URL(otpauthUri).searchParams.get("secret");
  if (!secret) throw new Error("The otpauth URI carries no secret.");
  return secret.toUpperCase();
}

/** A key in groups of four, easier to read out and type: "JBSW Y3DP EHPK 3PXP". */
export function groupKey(key: string): string {
  return key.replace(/\s+/g, "").match(/.{1,4}/g)?.join(" ") ?? "";
}
