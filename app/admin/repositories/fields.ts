import type { LdapAttributes } from "@/lib/safenet/contract";

// The form's field name for each LDAP attribute, apart from the form schemas so that the page's
// JavaScript does not carry zod.
export const ATTRIBUTE_FIELDS = {
  upn: "upnAttribute",
  displayName: "displayNameAttribute",
  email: "emailAttribute",
  groups: "groupsAttribute",
} as const satisfies Record<keyof LdapAttributes, string>;
