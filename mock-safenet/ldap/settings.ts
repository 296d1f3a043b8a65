import { DEFAULT_LDAP_ATTRIBUTES, ldapAttributesSchema, type LdapAttributes } from "../../lib/safenet/contract";
import { badInput } from "../errors";
import type { Keyring } from "../keys";
import { AD_USER_FILTER, type LdapSettings } from "./client";
import { filterProblem, isAttributeName } from "./filter";

// An LDAP repository's stored settings: the bind password sealed under the master key (AAD: the
// repository's name, which never changes), the attribute map as JSON text, the user filter as given
// or Active Directory's default.

export interface StoredLdapColumns {
  name: string;
  url: string | null;
  bindDn: string | null;
  bindPasswordSealed: Buffer | Uint8Array | null;
  baseDn: string | null;
  userFilter: string | null;
  attributes: string | null;
}

const aad = (repositoryName: string) => `ldap-bind-password/${repositoryName.toLowerCase()}`;

export const sealBindPassword = (keys: Keyring, repositoryName: string, password: string): Buffer =>
  keys.seal(Buffer.from(password, "utf8"), aad(repositoryName));

export const openBindPassword = (keys: Keyring, repositoryName: string, sealed: Buffer | Uint8Array): string =>
  keys.open(Buffer.from(sealed), aad(repositoryName)).toString("utf8");

/** `LDAP://Host:389/` → `ldap://host:389`: what "the same server" means when a credential may follow a change. */
export function normalizeLdapUrl(url: string): string {
  const m = /^(ldaps?):\/\/([^/?#]+)\/?$/i.exec(url.trim());
  if (!m) return url.trim();
  return `${m[1].toLowerCase()}://${m[2].toLowerCase()}`;
}

export function parseAttributes(text: string | null): LdapAttributes {
  if (!text) return DEFAULT_LDAP_ATTRIBUTES;
  return ldapAttributesSchema.parse({ ...DEFAULT_LDAP_ATTRIBUTES, ...(JSON.parse(text) as object) });
}

/** The attribute map with defaults filled in; 400 for a name that is not an attribute description. */
export function checkedAttributes(given: Partial<LdapAttributes> | undefined, base: LdapAttributes = DEFAULT_LDAP_ATTRIBUTES): LdapAttributes {
  const attributes = { ...base, ...given };
  const bad = Object.entries(attributes).filter(([, v]) => !isAttributeName(v));
  if (bad.length) {
    const details = Object.fromEntries(bad.map(([k]) => [`attributes.${k}`, "must be an LDAP attribute name, such as mail or userPrincipalName"]));
    throw badInput(`Check the attribute names: ${bad.map(([k]) => k).join(", ")}.`, details);
  }
  return attributes;
}

/** The user filter to store: as given (checked), or Active Directory's when none is given. */
export function checkedUserFilter(filter: string | undefined): string {
  if (filter === undefined) return AD_USER_FILTER;
  const problem = filterProblem(filter);
  if (problem) throw badInput(`The user filter ${problem}.`, { userFilter: problem });
  return filter.trim();
}

/** What GET /repositories shows of an LDAP repository: everything but the bind password. */
export function shownSettings(repo: StoredLdapColumns & { kind: string }) {
  return {
    name: repo.name,
    kind: repo.kind,
    url: repo.url ?? "",
    bindDn: repo.bindDn ?? "",
    baseDn: repo.baseDn ?? "",
    userFilter: repo.userFilter ?? AD_USER_FILTER,
    attributes: parseAttributes(repo.attributes),
  };
}

export function settingsOf(repo: StoredLdapColumns, keys: Keyring): LdapSettings {
  return {
    url: repo.url ?? "",
    bindDn: repo.bindDn ?? "",
    bindPassword: repo.bindPasswordSealed ? openBindPassword(keys, repo.name, repo.bindPasswordSealed) : "",
    baseDn: repo.baseDn ?? "",
    userFilter: repo.userFilter ?? AD_USER_FILTER,
    attributes: parseAttributes(repo.attributes),
  };
}
