import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "ldapts";
import { freePort } from "./free-port";

// A throwaway OpenLDAP server (Debian's /usr/sbin/slapd) for tests and e2e: a slapd.conf-style
// configuration and an mdb database in a temp dir, listening on 127.0.0.1 only, loaded with the demo
// directory of test/fixtures/ldap/demo.ldif (corp.local's users, passwords and groups).
//
// Decisions:
// - userPrincipalName and sAMAccountName come from a tiny schema (test/fixtures/ldap/ad-lite.schema,
//   Active Directory's OIDs) on an auxiliary class, so the directory uses AD's attribute names, the
//   contract's defaults (DEFAULT_LDAP_ATTRIBUTES); only the user filter differs from AD:
//   USER_FILTER below (AD has objectCategory, slapd has not).
// - memberOf comes from slapd's memberof overlay, so a user entry lists its groups as in AD. The
//   overlay only maintains it for online writes, so the LDIF is loaded with ldapadd after the start,
//   not with slapadd.
// - `allow bind_anon_dn`: like many directories, this one accepts an unauthenticated bind (a DN with
//   an empty password, RFC 4513 5.1.2) as anonymous. So the simulator's own refusal of empty
//   passwords is what the tests exercise, not slapd's default.
// - `sizelimit` 100 for a search that is not paged, unlimited for a paged one: a directory of more
//   users than that shows whether the reader pages. A base DN outside dc=corp,dc=local is answered
//   with a referral to REFERRAL_URL.
// - Anonymous users may bind and nothing else; the service account (bindDn) reads the directory;
//   userPassword is readable by nobody. The rootdn (adminDn) loads data.
// Works as root (CI) and as a normal user: nothing outside the temp dir is written.

export const LDAP_FIXTURES = path.resolve(__dirname, "../fixtures/ldap");
export const DEMO_LDIF = path.join(LDAP_FIXTURES, "demo.ldif");
export const BASE_DN = "dc=corp,dc=local";
/** The filter a repository on this directory sets (AD's default filter matches nothing here). */
export const USER_FILTER = "(objectClass=inetOrgPerson)";
const SERVICE_DN = `cn=svc-safenet,ou=Service,${BASE_DN}`;
const SERVICE_PASSWORD = "Service!2026";
const ADMIN_DN = `cn=admin,${BASE_DN}`;
const ADMIN_PASSWORD = "Admin!2026-slapd";
/** Where this server refers searches outside its suffix. */
export const REFERRAL_URL = "ldap://ldap.example.org/";
/** A search without paging stops after this many entries (slapd's sizelimit). */
export const UNPAGED_LIMIT = 100;
const SLAPD = "/usr/sbin/slapd";
const LDAPADD = "/usr/bin/ldapadd";
const SCHEMA_DIR = "/etc/ldap/schema";
const MODULE_DIR = "/usr/lib/ldap";

export interface Slapd {
  /** ldap://127.0.0.1:<port> */
  url: string;
  port: number;
  baseDn: string;
  /** The read-only service account a repository binds as, and its password. */
  bindDn: string;
  bindPassword: string;
  /** The filter a repository on this directory needs. */
  userFilter: string;
  /** The rootdn, for tests that add or change entries. */
  adminDn: string;
  adminPassword: string;
  /** Adds entries (LDIF text) as the rootdn; the memberof overlay updates memberOf. */
  addLdif: (ldif: string) => Promise<void>;
  /** Everything slapd printed. */
  output: () => string;
  /** Stops slapd and removes its temp dir; safe to call twice. */
  stop: () => Promise<void>;
}

export interface SlapdOptions {
  /** A fixed port (e2e slots); a free one by default. */
  port?: number;
  /** LDIF files loaded after the demo directory. */
  extraLdif?: string[];
  /** How long to wait for slapd to answer a bind (ms). */
  readyTimeoutMs?: number;
}

function config(dir: string): string {
  return [
    `include ${SCHEMA_DIR}/core.schema`,
    `include ${SCHEMA_DIR}/cosine.schema`,
    `include ${SCHEMA_DIR}/inetorgperson.schema`,
    `include ${SCHEMA_DIR}/nis.schema`,
    `include ${path.join(LDAP_FIXTURES, "ad-lite.schema")}`,
    `pidfile ${path.join(dir, "slapd.pid")}`,
    `argsfile ${path.join(dir, "slapd.args")}`,
    `modulepath ${MODULE_DIR}`,
    "moduleload back_mdb",
    "moduleload memberof",
    "allow bind_anon_dn",
    // A base DN outside this server's suffix gets a referral (tests of how a referral is reported).
    `referral ${REFERRAL_URL}`,
    // Like AD's MaxPageSize: one search returns at most 100 entries unless it is paged (RFC 2696).
    "sizelimit size.soft=100 size.hard=100 size.prtotal=unlimited",
    "database mdb",
    `suffix "${BASE_DN}"`,
    `rootdn "${ADMIN_DN}"`,
    `rootpw ${ADMIN_PASSWORD}`,
    `directory ${path.join(dir, "db")}`,
    "maxsize 67108864",
    "index objectClass eq",
    "index uid,userPrincipalName,sAMAccountName,mail eq,sub",
    "index member,memberOf eq",
    "access to attrs=userPassword by anonymous auth by * none",
    `access to * by dn.exact="${SERVICE_DN}" read by users read by * none`,
    "overlay memberof",
    "memberof-refint TRUE",
    "",
  ].join("\n");
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} exited with ${code}: ${out.trim()}`))));
  });
}

async function waitReady(url: string, deadline: number, exited: () => string | null): Promise<void> {
  for (;;) {
    const why = exited();
    if (why) throw new Error(why);
    const client = new Client({ url, connectTimeout: 500, timeout: 1000 });
    try {
      await client.bind(ADMIN_DN, ADMIN_PASSWORD);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`slapd did not answer on ${url}: ${(err as Error).message}`);
    } finally {
      await client.unbind().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-slapd-"));
  fs.mkdirSync(path.join(dir, "db"));
  const confPath = path.join(dir, "slapd.conf");
  fs.writeFileSync(confPath, config(dir), { mode: 0o600 });
  const passwordFile = path.join(dir, "admin.pw");
  fs.writeFileSync(passwordFile, ADMIN_PASSWORD, { mode: 0o600 });
  const port = options.port ?? (await freePort());
  const url = `ldap://127.0.0.1:${port}`;

  // -d 0: stay in the foreground (a child we can stop), printing nothing but errors.
  const child: ChildProcess = spawn(SLAPD, ["-d", "0", "-f", confPath, "-h", url], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exit: string | null = null;
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const gone = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = `slapd exited (${signal ?? code}): ${output.trim()}`;
      resolve();
    }),
  );
  child.once("error", (err) => (exit = `slapd could not start: ${err.message}`));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exit === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const addFile = (file: string) => run(LDAPADD, ["-x", "-H", url, "-D", ADMIN_DN, "-y", passwordFile, "-f", file]);

  try {
    await waitReady(url, Date.now() + (options.readyTimeoutMs ?? 15_000), () => exit);
    await addFile(DEMO_LDIF);
    for (const file of options.extraLdif ?? []) await addFile(file);
  } catch (err) {
    await stop();
    throw err;
  }

  let n = 0;
  return {
    url,
    port,
    baseDn: BASE_DN,
    bindDn: SERVICE_DN,
    bindPassword: SERVICE_PASSWORD,
    userFilter: USER_FILTER,
    adminDn: ADMIN_DN,
    adminPassword: ADMIN_PASSWORD,
    async addLdif(ldif: string) {
      const file = path.join(dir, `add-${++n}.ldif`);
      fs.writeFileSync(file, ldif);
      try {
        await addFile(file);
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    output: () => output,
    stop,
  };
}

/** LDIF for `count` extra users (ldapuser0001 … with password Synthetic!2026), each in Domain Users. */
export function syntheticUsersLdif(count: number): string {
  const entries: string[] = [];
  const dns: string[] = [];
  for (let i = 1; i <= count; i++) {
    const sam = `ldapuser${String(i).padStart(4, "0")}`;
    const dn = `uid=${sam},ou=People,${BASE_DN}`;
    dns.push(dn);
    entries.push(
      [
        `dn: ${dn}`,
        "objectClass: inetOrgPerson",
        "objectClass: safenetSimUser",
        `uid: ${sam}`,
        `cn: LDAP User ${i}`,
        `sn: User ${i}`,
        `displayName: LDAP User ${i}`,
        `mail: ${sam}@corp.local`,
        `userPrincipalName: ${sam}@corp.local`,
        `sAMAccountName: ${sam}`,
        "userPassword: Synthetic!2026",
      ].join("\n"),
    );
  }
  const members = dns.map((dn) => `member: ${dn}`).join("\n");
  entries.push(`dn: cn=Domain Users,ou=Groups,${BASE_DN}\nchangetype: modify\nadd: member\n${members}`);
  return entries.join("\n\n") + "\n";
}

// `tsx test/support/slapd.ts [port]`: runs the demo directory until SIGINT/SIGTERM (a Playwright
// webServer, or by hand); prints the settings a repository needs as one JSON line.
if (require.main === module) {
  const port = process.argv[2] ? Number(process.argv[2]) : undefined;
  startSlapd({ port }).then(
    (slapd) => {
      const { url, baseDn, bindDn, bindPassword, userFilter } = slapd;
      console.log(JSON.stringify({ url, baseDn, bindDn, bindPassword, userFilter }));
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void slapd.stop().then(() => process.exit(0)));
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
