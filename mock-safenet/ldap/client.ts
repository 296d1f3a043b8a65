import { Client, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, type Entry } from "ldapts";
import type { LdapAttributes } from "../../lib/safenet/contract";
import { and, equals, firstRdnValue, or, present, startsWith } from "./filter";

// An LDAP directory (Active Directory or any LDAP server) read on ldapts. Every call opens its own
// connection and closes it: nothing is kept between requests, so several simulators can share a
// repository. The service account finds entries; a user's password is checked by binding AS the
// user on a fresh connection, never by reading or comparing a hash. Connects and every operation
// time out, so a directory that is down or silent gives an LdapFailure with a sentence, never a hang.

export interface LdapSettings {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  userFilter: string;
  attributes: LdapAttributes;
}

export interface LdapUser {
  dn: string;
  /** Lower-cased, as the simulator keys SafeNet accounts. */
  upn: string;
  /** The logon name: sAMAccountName, else uid, else the UPN's local part; lower-cased. */
  sam: string;
  displayName: string;
  email: string;
  groups: string[];
}

export type LdapStatus = "ok" | "unreachable" | "timeout" | "bind_failed" | "referral" | "tls_untrusted" | "no_such_base" | "error";

export class LdapFailure extends Error {
  constructor(
    readonly status: Exclude<LdapStatus, "ok">,
    message: string,
  ) {
    super(message);
    this.name = "LdapFailure";
  }
}

export const LDAP_TIMEOUT_MS = 5000;
/** Entries per page of a paged search (RFC 2696). */
export const LDAP_PAGE_SIZE = 50;
/** A listing reads at most this many entries: beyond it, the administrator narrows the base DN or filter. */
export const LDAP_MAX_ENTRIES = 20_000;

/** Active Directory's person objects; other directories set their own (e.g. `(objectClass=inetOrgPerson)`). */
export const AD_USER_FILTER = "(&(objectCategory=person)(objectClass=user))";
const GROUP_FILTER = "(|(objectClass=group)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";
/** The logon-name attributes of AD and of RFC 2307 directories, tried both for `alice` or `CORP\alice`. */
const LOGON_ATTRIBUTES = ["sAMAccountName", "uid"];

const UNREACHABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EPIPE", "EADDRNOTAVAIL"]);
const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;

/** What went wrong, as a sentence an administrator can act on. Never includes a password. */
export function describeFailure(err: unknown, s: Pick<LdapSettings, "url" | "baseDn">, timeoutMs = LDAP_TIMEOUT_MS): LdapFailure {
  if (err instanceof LdapFailure) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const text = err instanceof Error ? err.message : String(err);
  if (err instanceof InvalidCredentialsError) {
    return new LdapFailure("bind_failed", `The LDAP directory at ${s.url} refused the bind DN and password. Enter the service account's DN and password again.`);
  }
  if (err instanceof NoSuchObjectError) {
    return new LdapFailure("no_such_base", `The base DN "${s.baseDn}" does not exist on ${s.url}. Check the base DN.`);
  }
  if (err instanceof ResultCodeError && err.code === 10) {
    return new LdapFailure("referral", `The LDAP directory at ${s.url} referred the request to another server. Use that server's URL, or a base DN this server holds.`);
  }
  if (typeof code === "string" && UNTRUSTED.test(code)) {
    return new LdapFailure(
      "tls_untrusted",
      `The certificate of ${s.url} is not trusted (${code}). Give the server a certificate from a trusted authority, or add its CA to the simulator's trust (NODE_EXTRA_CA_CERTS).`,
    );
  }
  if (typeof code === "string" && UNREACHABLE.has(code)) {
    return new LdapFailure("unreachable", `The LDAP directory at ${s.url} cannot be reached (${code}). Check that the server is running and that the URL is right.`);
  }
  if (code === "ETIMEDOUT" || /timeout|timed out/i.test(text)) {
    const seconds = Math.round(timeoutMs / 100) / 10;
    return new LdapFailure(
      "timeout",
      `The LDAP directory at ${s.url} did not answer within ${seconds} seconds. Check that the URL points at an LDAP server and that the server is not overloaded.`,
    );
  }
  if (err instanceof ResultCodeError) {
    return new LdapFailure("error", `The LDAP directory at ${s.url} answered with an error (${err.message}). Check the repository's settings.`);
  }
  return new LdapFailure("error", `The LDAP directory at ${s.url} could not be used (${code ?? text}). Check the repository's settings.`);
}

async function withClient<T>(s: LdapSettings, timeoutMs: number, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: s.url, connectTimeout: timeoutMs, timeout: timeoutMs, strictDN: false });
  try {
    return await work(client);
  } catch (err) {
    throw describeFailure(err, s, timeoutMs);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** A connection bound as the repository's service account. */
async function asService<T>(s: LdapSettings, work: (client: Client) => Promise<T>, timeoutMs = LDAP_TIMEOUT_MS): Promise<T> {
  return withClient(s, timeoutMs, async (client) => {
    // An empty password would be an unauthenticated (anonymous) bind: never the service account.
    if (!s.bindPassword || !s.bindDn) throw new LdapFailure("bind_failed", `The repository for ${s.url} has no bind DN and password. Enter them again.`);
    await client.bind(s.bindDn, s.bindPassword);
    return work(client);
  });
}

function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (!key) return [];
  const v = entry[key];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString("utf8") : String(x)));
}
const first = (entry: Entry, attribute: string) => values(entry, attribute)[0];

function userAttributes(a: LdapAttributes): string[] {
  return [...new Set([a.upn, a.displayName, a.email, a.groups, "cn", ...LOGON_ATTRIBUTES])];
}

/** The entry as a user, or null when it has no UPN (such an entry cannot hold a SafeNet account). */
function toUser(entry: Entry, a: LdapAttributes): LdapUser | null {
  const upn = first(entry, a.upn)?.trim().toLowerCase();
  if (!upn) return null;
  const logon = LOGON_ATTRIBUTES.map((n) => first(entry, n)).find(Boolean);
  return {
    dn: entry.dn,
    upn,
    sam: (logon ?? upn.split("@")[0]).trim().toLowerCase(),
    displayName: first(entry, a.displayName) ?? first(entry, "cn") ?? upn,
    email: (first(entry, a.email) ?? "").trim().toLowerCase(),
    groups: [...new Set(values(entry, a.groups).map(firstRdnValue))].sort(),
  };
}

/** Every entry of a paged search, up to LDAP_MAX_ENTRIES. */
async function searchAll(client: Client, s: LdapSettings, filter: string, attributes: string[]): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const page of client.searchPaginated(s.baseDn, { scope: "sub", filter, attributes, paged: { pageSize: LDAP_PAGE_SIZE } })) {
    entries.push(...page.searchEntries);
    if (entries.length > LDAP_MAX_ENTRIES) {
      throw new LdapFailure(
        "error",
        `The search under "${s.baseDn}" finds more than ${LDAP_MAX_ENTRIES} entries. Narrow the base DN or the user filter.`,
      );
    }
  }
  return entries;
}

/** The first page of a paged search: a sample. */
async function searchSome(client: Client, s: LdapSettings, filter: string, attributes: string[], count: number): Promise<Entry[]> {
  for await (const page of client.searchPaginated(s.baseDn, { scope: "sub", filter, attributes, paged: { pageSize: count } })) {
    return page.searchEntries.slice(0, count);
  }
  return [];
}

/** `alice@corp.local` → by UPN; `CORP\alice` or `alice` → by logon name (the domain part is the caller's to check). */
function logonFilter(s: LdapSettings, logonName: string): string | null {
  const name = logonName.trim();
  if (!name) return null;
  const slash = name.indexOf("\\");
  if (slash >= 0) {
    const sam = name.slice(slash + 1);
    return sam ? or(...LOGON_ATTRIBUTES.map((n) => equals(n, sam))) : null;
  }
  if (name.includes("@")) return equals(s.attributes.upn, name);
  return or(...LOGON_ATTRIBUTES.map((n) => equals(n, name)));
}

async function findEntry(client: Client, s: LdapSettings, logonName: string): Promise<LdapUser | undefined> {
  const filter = logonFilter(s, logonName);
  if (!filter) return undefined;
  const { searchEntries } = await client.search(s.baseDn, { scope: "sub", filter: and(s.userFilter, filter), attributes: userAttributes(s.attributes), sizeLimit: 2 }).catch(
    (err: unknown) => {
      // Two entries for one name: sizeLimit answers "exceeded"; the name is ambiguous, so nobody.
      if (err instanceof ResultCodeError && err.code === 4) return { searchEntries: [] as Entry[] };
      throw err;
    },
  );
  if (searchEntries.length !== 1) return undefined;
  return toUser(searchEntries[0], s.attributes) ?? undefined;
}

async function groupDn(client: Client, s: LdapSettings, name: string): Promise<string | undefined> {
  const { searchEntries } = await client.search(s.baseDn, { scope: "sub", filter: and(GROUP_FILTER, equals("cn", name)), attributes: ["1.1"], sizeLimit: 1 }).catch(
    (err: unknown) => {
      if (err instanceof ResultCodeError && err.code === 4) return { searchEntries: [] as Entry[] };
      throw err;
    },
  );
  return searchEntries[0]?.dn;
}

export function makeLdapDirectory(s: LdapSettings, timeoutMs = LDAP_TIMEOUT_MS) {
  const service = <T>(work: (client: Client) => Promise<T>) => asService(s, work, timeoutMs);
  return {
    findUser: (logonName: string) => service((client) => findEntry(client, s, logonName)),

    /**
     * Binds as the user with the typed password. Null for a wrong password, an unknown or ambiguous
     * name, or an empty password (refused before any bind: an empty password is an anonymous bind,
     * which many directories answer with success).
     */
    async authenticate(logonName: string, password: string): Promise<LdapUser | null> {
      if (password.length === 0) return null;
      const user = await service((client) => findEntry(client, s, logonName));
      if (!user || !user.dn) return null;
      return withClient(s, timeoutMs, async (client) => {
        try {
          await client.bind(user.dn, password);
          return user;
        } catch (err) {
          if (err instanceof InvalidCredentialsError) return null;
          throw err;
        }
      });
    },

    /** Users by UPN order, `limit` after `cursor` (the last UPN of the previous page). */
    async listUsers(q: { search?: string; group?: string; limit: number; cursor?: string }): Promise<{ users: LdapUser[]; nextCursor: string | null }> {
      return service(async (client) => {
        const parts = [s.userFilter, present(s.attributes.upn)];
        const term = q.search?.trim();
        if (term) parts.push(or(startsWith(s.attributes.upn, term), startsWith(s.attributes.displayName, term)));
        if (q.group) {
          const dn = await groupDn(client, s, q.group);
          if (!dn) return { users: [], nextCursor: null };
          parts.push(equals(s.attributes.groups, dn));
        }
        const users = (await searchAll(client, s, and(...parts), userAttributes(s.attributes)))
          .map((e) => toUser(e, s.attributes))
          .filter((u): u is LdapUser => u !== null)
          .sort((a, b) => (a.upn < b.upn ? -1 : a.upn > b.upn ? 1 : 0));
        const after = q.cursor ? users.filter((u) => u.upn > q.cursor!) : users;
        const page = after.slice(0, q.limit);
        return { users: page, nextCursor: after.length > q.limit ? page[page.length - 1].upn : null };
      });
    },

    async listGroups(): Promise<{ name: string; members: number }[]> {
      return service(async (client) => {
        const entries = await searchAll(client, s, GROUP_FILTER, ["cn", "member", "uniqueMember"]);
        return entries
          .map((e) => ({ name: first(e, "cn") ?? firstRdnValue(e.dn), members: values(e, "member").length + values(e, "uniqueMember").length }))
          .sort((a, b) => a.name.localeCompare(b.name));
      });
    },

    countUsers: () => service(async (client) => (await searchAll(client, s, and(s.userFilter, present(s.attributes.upn)), ["1.1"])).length),

    /** The connection test: bind, a sample of up to five users, counts of users and groups. */
    async check(): Promise<{ sample: LdapUser[]; users: number; groups: number }> {
      return service(async (client) => {
        const users = and(s.userFilter, present(s.attributes.upn));
        const sample = (await searchSome(client, s, users, userAttributes(s.attributes), 5))
          .map((e) => toUser(e, s.attributes))
          .filter((u): u is LdapUser => u !== null);
        const count = (await searchAll(client, s, users, ["1.1"])).length;
        const groups = (await searchAll(client, s, GROUP_FILTER, ["1.1"])).length;
        return { sample, users: count, groups };
      });
    },
  };
}

export type LdapDirectory = ReturnType<typeof makeLdapDirectory>;
