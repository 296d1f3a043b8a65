// Constants of the contract that client components show, apart from the zod schemas so that a
// page's JavaScript does not carry zod for a number or a default.

/** RFC 2865 §3 asks for at least 16 octets; printable ASCII so it can be typed into any NAS. */
export const RADIUS_SECRET_LIMITS = { min: 16, max: 128 } as const;

/** Active Directory's attribute names, the defaults of an LDAP repository's `attributes`. */
export const DEFAULT_LDAP_ATTRIBUTES: { upn: string; displayName: string; email: string; groups: string } = {
  upn: "userPrincipalName",
  displayName: "displayName",
  email: "mail",
  groups: "memberOf",
};
