import { FilterParser } from "ldapts";

// LDAP search filters (RFC 4515) built from typed text. Every value a person or a client typed goes
// through escapeFilterValue, so `*)(uid=*` is searched for as those seven characters and cannot
// widen or end the filter. Attribute names and the repository's own filter come from the
// administrator and are checked when the repository is saved.

/** RFC 4515 section 3: `*`, `(`, `)`, `\` and NUL as \2a, \28, \29, \5c and \00; everything else as is (UTF-8). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => "\\" + c.charCodeAt(0).toString(16).padStart(2, "0"));
}

export const and = (...parts: string[]) => {
  const present = parts.filter(Boolean);
  return present.length === 1 ? present[0] : `(&${present.join("")})`;
};
export const or = (...parts: string[]) => (parts.length === 1 ? parts[0] : `(|${parts.join("")})`);
export const equals = (attribute: string, value: string) => `(${attribute}=${escapeFilterValue(value)})`;
export const startsWith = (attribute: string, value: string) => `(${attribute}=${escapeFilterValue(value)}*)`;
export const present = (attribute: string) => `(${attribute}=*)`;

/** An attribute description: a name (letters, digits, hyphens) or an OID, with options. */
const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)(?:;[A-Za-z0-9-]+)*$/;
export const isAttributeName = (name: string) => ATTRIBUTE.test(name);

/** Null when `filter` is one well-formed RFC 4515 filter in parentheses, else why not. */
export function filterProblem(filter: string): string | null {
  const text = filter.trim();
  if (!text.startsWith("(") || !text.endsWith(")")) return "must be an LDAP filter in parentheses, such as (objectClass=person)";
  // Parentheses in values are escaped (\28, \29), so every literal one is structure: they must
  // balance, closing the filter at its last character only (ldapts' parser lets `(&(a=b)` pass).
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0 && i !== text.length - 1) depth = -1;
    if (depth < 0) break;
  }
  if (depth !== 0) return "is not a valid LDAP filter (RFC 4515): check its parentheses";
  try {
    FilterParser.parseString(text);
    return null;
  } catch {
    return "is not a valid LDAP filter (RFC 4515): check its parentheses and escapes";
  }
}

/** The value of a DN's first RDN (`cn=RAS Admins,ou=Groups,…` → `RAS Admins`); the text itself when it is no DN. */
export function firstRdnValue(dn: string): string {
  const m = /^\s*[A-Za-z0-9.-]+\s*=\s*((?:\\.|[^,+\\])*)/.exec(dn);
  if (!m) return dn;
  // RFC 4514: `\,` stands for the character, `\c3\a9` for the UTF-8 bytes of one.
  const bytes: number[] = [];
  const chars = Array.from(m[1]);
  for (let i = 0; i < chars.length; i++) {
    const pair = chars[i] === "\\" ? (chars[i + 1] ?? "") + (chars[i + 2] ?? "") : "";
    if (/^[0-9a-fA-F]{2}$/.test(pair)) {
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else {
      if (chars[i] === "\\" && i + 1 < chars.length) i++;
      bytes.push(...Buffer.from(chars[i]));
    }
  }
  return Buffer.from(bytes).toString("utf8").trim();
}
