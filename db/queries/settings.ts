import { eq } from "drizzle-orm";
import { env } from "@/lib/config/env";
import {
  DEFAULT_EXCLUSIONS,
  defaultMfaSettings,
  exclusionSettingsSchema,
  mfaSettingsSchema,
  type ExclusionDefaults,
  type MfaSettings,
} from "@/lib/mfa/settings";
import { getDb } from "../index";
import { settings } from "../schema";

// Settings are read from the database on every use, so a change takes effect without a restart.

function read<T>(key: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, fallback: T): T {
  const row = getDb().select().from(settings).where(eq(settings.key, key)).get();
  if (!row) return fallback;
  const parsed = schema.safeParse({ ...fallback, ...(row.value as object) });
  return parsed.success ? parsed.data : fallback;
}

function write(key: string, value: unknown, actor: string): void {
  getDb()
    .insert(settings)
    .values({ key, value, updatedAt: new Date(), updatedBy: actor })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date(), updatedBy: actor } })
    .run();
}

export function getMfaSettings(): MfaSettings {
  return read("mfa", mfaSettingsSchema, defaultMfaSettings(env().SAFENET_URL));
}

export function saveMfaSettings(next: MfaSettings, actor: string): void {
  write("mfa", next, actor);
}

export function getExclusionDefaults(): ExclusionDefaults {
  return read("exclusions", exclusionSettingsSchema, DEFAULT_EXCLUSIONS);
}

export function saveExclusionDefaults(next: ExclusionDefaults, actor: string): void {
  write("exclusions", next, actor);
}
