import "next-auth";
import "next-auth/jwt";

// What a portal session cookie carries; no secret: the user's identity and a random session id
// whose row in the portal database decides whether the session is open and what it may do.
interface PortalClaims {
  upn: string;
  name: string;
  email: string;
  groups: string[];
  /** Random id of the server-side session (portal_sessions holds its SHA-256). */
  sid: string;
  /** When the user last proved who they are (password, and OTP when due), in ms. */
  authAt: number;
}

/** Read from the session's row on every request, never trusted from the cookie. */
interface SessionState {
  /** "pending": PIN + OTP still due; "enroll": password only, no usable token; "done": both passed. */
  mfa: "pending" | "enroll" | "done";
  isAdmin: boolean;
}

declare module "next-auth" {
  interface User extends PortalClaims {
    id: string;
  }
  interface Session {
    user: Omit<PortalClaims, "sid"> & SessionState;
  }
}

declare module "next-auth/jwt" {
  interface JWT extends Partial<PortalClaims> {}
}
