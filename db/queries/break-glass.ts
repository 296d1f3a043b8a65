import type { PortalDb } from "../index";
import { ADMIT_MAX_MINUTES } from "./break-glass-limits";
import { readSetting, writeSetting } from "./settings";

// Break-glass admissions (`npm run break-glass -- admit <upn>`): the host's operator lets one named
// user into the admin console once, with the domain password alone, before the grant expires. The
// grants live in the settings table under one key; granting and taking hold a named lock for their
// transaction (every instance on PostgreSQL; SQLite's write lock already), so two sign-ins cannot both use it.

const KEY = "break-glass";
export { ADMIT_DEFAULT_MINUTES, ADMIT_MAX_MINUTES } from "./break-glass-limits";

export interface AdmitGrant {
  upn: string;
  grantedAt: number;
  expiresAt: number;
}

async function readGrants(db: PortalDb, lock = false): Promise<AdmitGrant[]> {
  const list = ((await readSetting(db, KEY, lock)) as { grants?: unknown } | undefined)?.grants;
  return Array.isArray(list)
    ? list.filter((g): g is AdmitGrant => !!g && typeof g.upn === "string" && typeof g.expiresAt === "number" && typeof g.grantedAt === "number")
    : [];
}

async function writeGrants(tx: PortalDb, grants: AdmitGrant[], actor: string): Promise<void> {
  await writeSetting(tx, KEY, { grants }, actor);
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A new grant for `upn`, replacing any it had; expired grants are dropped. */
export async function grantAdmission(db: PortalDb, upn: string, minutes: number, now = Date.now()): Promise<AdmitGrant> {
  const grant: AdmitGrant = { upn: upn.trim().toLowerCase(), grantedAt: now, expiresAt: now + minutes * 60_000 };
  await db.transaction(async (tx) => {
    await tx.lock(`portal:${KEY}`);
    const kept = (await readGrants(tx, true)).filter((g) => g.expiresAt > now && !same(g.upn, upn));
    await writeGrants(tx, [...kept, grant], "break-glass");
  });
  return grant;
}

/** The grants not used and not expired, for the admin console. */
export async function openAdmissions(db: PortalDb, now = Date.now()): Promise<AdmitGrant[]> {
  return (await readGrants(db)).filter((g) => g.expiresAt > now);
}

/** Takes `upn`'s grant if it has an unexpired one: it is gone afterwards, used or not. */
export async function takeAdmission(db: PortalDb, upn: string, now = Date.now()): Promise<AdmitGrant | null> {
  return db.transaction(async (tx) => {
    // The row may not exist yet, so FOR UPDATE alone could lock nothing: the named lock covers that.
    await tx.lock(`portal:${KEY}`);
    const grants = await readGrants(tx, true);
    const grant = grants.find((g) => same(g.upn, upn) && g.expiresAt > now) ?? null;
    if (grant) await writeGrants(tx, grants.filter((g) => g !== grant && g.expiresAt > now), "break-glass");
    return grant;
  });
}
