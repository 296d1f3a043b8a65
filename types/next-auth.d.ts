import "next-auth";
import "next-auth/jwt";

// What a portal session carries; no secret: the claims are the user's identity and sign-in state.
interface PortalClaims {
  upn: string;
  name: string;
  email: string;
  groups: string[];
  isAdmin: boolean;
  /** "pending": password accepted, PIN + OTP still due; "done": both passed; "none": no active token. */
  mfa: "pending" | "done" | "none";
  /** Session version at issue; a newer version in the database ends this session. */
  sv: number;
  /** When the user last proved who they are (password, and OTP when due), in ms. */
  authAt: number;
}

declare module "next-auth" {
  interface User extends PortalClaims {
    id: string;
  }
  interface Session {
    user: PortalClaims;
  }
}

declare module "next-auth/jwt" {
  interface JWT extends Partial<PortalClaims> {}
}
