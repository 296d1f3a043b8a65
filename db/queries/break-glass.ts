import { eq } from "drizzle-orm";
import type { PortalDb } from "../index";
import { settings } from "../schema";

// Break-glass admissions (`npm run break-glass -- admit <upn>`): the host's operator lets one named
// user into the admin console once, with the domain password alone, before the grant expires. The
// grants live in the settings table under one key; taking one is a single write transaction, so two
// sign-ins cannot both use it.

const KEY = "break-glass";
export const ADMIT_DEFAULT_MINUTES = 15;
export const ADMIT_MAX_MINUTES = 60;

export interface AdmitGrant {
  upn: string;
  grantedAt: number;
  expiresAt: number;
}

type Tx = Pick<PortalDb, "select" | "insert">;

function readGrants(tx: Tx): AdmitGrant[] {
  const row = tx.select().from(settings).where(eq(settings.key, KEY)).get();
  const list = (row?.value as { grants?: unknown } | undefined)?.grants;
  return Array.isArray(list)
    ? list.filter((g): g is AdmitGrant => !!g && typeof g.upn === "string" && typeof g.expiresAt === "number" && typeof g.grantedAt === "number")
    : [];
}

function writeGrants(tx: Tx, grants: AdmitGrant[], actor: string): void {
  const value = { grants };
  tx.insert(settings)
    .values({ key: KEY, value, updatedAt: new Date(), updatedBy: actor })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date(), updatedBy: actor } })
    .run();
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A new grant for `upn`, replacing any it had; expired grants are dropped. */
export async function grantAdmission(db: PortalDb, upn: string, minutes: number, now = Date.now()): Promise<AdmitGrant> {
  const grant: AdmitGrant = { upn: upn.trim().toLowerCase(), grantedAt: now, expiresAt: now + minutes * 60_000 };
  db.transaction(
    (tx) => {
      const kept = readGrants(tx).filter((g) => g.expiresAt > now && !same(g.upn, upn));
      writeGrants(tx, [...kept, grant], "break-glass");
    },
    { behavior: "immediate" },
  );
  return grant;
}

/** The grants not used and not expired, for the admin console. */
export async function openAdmissions(db: PortalDb, now = Date.now()): Promise<AdmitGrant[]> {
  return readGrants(db).filter((g) => g.expiresAt > now);
}

/** Takes `upn`'s grant if it has an unexpired one: it is gone afterwards, used or not. */
export async function takeAdmission(db: PortalDb, upn: string, now = Date.now()): Promise<AdmitGrant | null> {
  return db.transaction(
    (tx) => {
      const grants = readGrants(tx);
      const grant = grants.find((g) => same(g.upn, upn) && g.expiresAt > now) ?? null;
      if (grant) writeGrants(tx, grants.filter((g) => g !== grant && g.expiresAt > now), "break-glass");
      return grant;
    },
    { behavior: "immediate" },
  );
}
