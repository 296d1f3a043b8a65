import { BASE_DN, startSlapd, type Slapd } from "../../test/support/slapd";

// A real directory for the specs that need one: Debian's slapd with the demo LDIF (test/support/slapd.ts),
// started by the spec that uses it, on a port of its E2E_SLOT so that two checkouts' runs can share a machine.

export type { Slapd };

const slot = Number(process.env.E2E_SLOT ?? 0);
export const LDAP_PORT = 3890 + slot;

export interface LdapUser {
  sam: string;
  upn: string;
  password: string;
  displayName: string;
  groups: string[];
}

/** A person who exists only in the directory (not in the simulator's built-in corp.local). */
export function ldapUser(sam: string, groups: string[] = []): LdapUser {
  return { sam, upn: `${sam}@corp.local`, password: "Ldap!Passw0rd-e2e", displayName: `LDAP ${sam}`, groups };
}

function userLdif(u: LdapUser): string {
  const dn = `uid=${u.sam},ou=People,${BASE_DN}`;
  const entry = [
    `dn: ${dn}`,
    "objectClass: inetOrgPerson",
    "objectClass: safenetSimUser",
    `uid: ${u.sam}`,
    `cn: ${u.displayName}`,
    `sn: ${u.sam}`,
    `displayName: ${u.displayName}`,
    `mail: ${u.upn}`,
    `userPrincipalName: ${u.upn}`,
    `sAMAccountName: ${u.sam}`,
    `userPassword: ${u.password}`,
  ].join("\n");
  // groupOfNames members, as the demo LDIF has them; the memberof overlay writes the user's memberOf.
  const memberships = u.groups.map((g) => `dn: cn=${g},ou=Groups,${BASE_DN}\nchangetype: modify\nadd: member\nmember: ${dn}`);
  return [entry, ...memberships].join("\n\n") + "\n";
}

/** slapd on this slot's port with the demo directory and `users` added. */
export async function startDirectory(users: LdapUser[]): Promise<Slapd> {
  const slapd = await startSlapd({ port: LDAP_PORT });
  for (const u of users) await slapd.addLdif(userLdif(u));
  return slapd;
}
