import {
  DEFAULT_EXCLUSIONS,
  exclusionSettingsSchema,
  mfaSettingsSchema,
  type ExclusionDefaults,
  type MfaSettings,
} from "@/lib/mfa/settings";
import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

// Settings are read from the database on every use, so a change takes effect without a restart, on
// every instance at once. Values are JSON text; a save is one upsert, so the last writer wins whole.

type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false } };

/** The JSON value stored under `key`, parsed, or undefined when there is none or it is not JSON. */
export async function readSetting(db: PortalDb, key: string, lock = false): Promise<unknown> {
  const row = await db.get<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${key}${lock ? db.forUpdate : sql.empty}`);
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return undefined;
  }
}

/** Stores `value` (as JSON) under `key`, replacing what was there. */
export async function writeSetting(db: PortalDb, key: string, value: unknown, actor: string, now = Date.now()): Promise<void> {
  await db.run(sql`
    INSERT INTO settings (key, value, updated_at, updated_by) VALUES (${key}, ${JSON.stringify(value)}, ${now}, ${actor})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
}

async function read<T>(db: PortalDb, key: string, schema: Schema<T>, fallback: T): Promise<T> {
  const value = await readSetting(db, key);
  if (value === undefined) return fallback;
  const parsed = schema.safeParse({ ...fallback, ...(value as object) });
  return parsed.success ? parsed.data : fallback;
}

/** The saved MFA settings over `defaults` (which name the SafeNet this installation starts with). */
export async function getMfaSettings(db: PortalDb, defaults: MfaSettings): Promise<MfaSettings> {
  return read(db, "mfa", mfaSettingsSchema, defaults);
}

export async function saveMfaSettings(db: PortalDb, next: MfaSettings, actor: string): Promise<void> {
  await writeSetting(db, "mfa", next, actor);
}

export async function getExclusionDefaults(db: PortalDb): Promise<ExclusionDefaults> {
  return read(db, "exclusions", exclusionSettingsSchema, DEFAULT_EXCLUSIONS);
}

export async function saveExclusionDefaults(db: PortalDb, next: ExclusionDefaults, actor: string): Promise<void> {
  await writeSetting(db, "exclusions", next, actor);
}
