import { eq } from "drizzle-orm";
import {
  DEFAULT_EXCLUSIONS,
  exclusionSettingsSchema,
  mfaSettingsSchema,
  type ExclusionDefaults,
  type MfaSettings,
} from "@/lib/mfa/settings";
import type { PortalDb } from "../index";
import { settings } from "../schema";

// Settings are read from the database on every use, so a change takes effect without a restart.

type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false } };

async function read<T>(db: PortalDb, key: string, schema: Schema<T>, fallback: T): Promise<T> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  if (!row) return fallback;
  const parsed = schema.safeParse({ ...fallback, ...(row.value as object) });
  return parsed.success ? parsed.data : fallback;
}

async function write(db: PortalDb, key: string, value: unknown, actor: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedAt: new Date(), updatedBy: actor })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date(), updatedBy: actor } });
}

/** The saved MFA settings over `defaults` (which name the SafeNet this installation starts with). */
export async function getMfaSettings(db: PortalDb, defaults: MfaSettings): Promise<MfaSettings> {
  return read(db, "mfa", mfaSettingsSchema, defaults);
}

export async function saveMfaSettings(db: PortalDb, next: MfaSettings, actor: string): Promise<void> {
  await write(db, "mfa", next, actor);
}

export async function getExclusionDefaults(db: PortalDb): Promise<ExclusionDefaults> {
  return read(db, "exclusions", exclusionSettingsSchema, DEFAULT_EXCLUSIONS);
}

export async function saveExclusionDefaults(db: PortalDb, next: ExclusionDefaults, actor: string): Promise<void> {
  await write(db, "exclusions", next, actor);
}
