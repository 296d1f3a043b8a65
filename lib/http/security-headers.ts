// The security headers of every portal response. Pure: proxy.ts supplies the nonce and whether the
// request arrived over https.

export interface SecurityHeaderInput {
  /** A fresh base64 value per request; Next stamps it on its own scripts. */
  nonce: string;
  /** Served over https (NEXTAUTH_URL is https, or a trusted proxy said so). */
  https: boolean;
  /** `next dev` evaluates code for hot reloading and needs 'unsafe-eval'. */
  dev?: boolean;
  /** A route handler's answer (JSON, downloads): never a page, so nothing may run or load. */
  api?: boolean;
}

// Next keeps the proxy's header over a route handler's own, so this is also the attachment
// downloads' policy: sandboxed, whatever type the sender claimed.
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

export function contentSecurityPolicy({ nonce, dev }: Pick<SecurityHeaderInput, "nonce" | "dev">): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonced bootstrap load Next's chunks; 'self' is for CSP2 browsers.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React's style props and the mail HTML shown in the mailbox's srcdoc frame use inline styles.
    "style-src 'self' 'unsafe-inline'",
    // The enrollment QR code is a data: SVG; the mailbox frame's mail may carry data: images.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The mailbox shows mail HTML in a sandboxed srcdoc frame, which inherits this policy.
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  // The simulated MobilePASS copies the passcode.
  "clipboard-write=(self)",
].join(", ");

export function securityHeaders(input: SecurityHeaderInput): Record<string, string> {
  return {
    "Content-Security-Policy": input.api ? API_CSP : contentSecurityPolicy(input),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
    ...(input.https && { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" }),
  };
}
