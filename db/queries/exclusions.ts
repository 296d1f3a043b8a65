import { asc, count, eq, max } from "drizzle-orm";
import { isDuplicate, LIST_NAMES, normalizeEntry, type ListKind, type RuleEntry } from "@/lib/mfa/rules";
import { getDb, type PortalDb } from "../index";
import { exclusionRules, type ExclusionRuleRow } from "../schema";

// Exclusion rules as stored: normalised values, unique per list. Every function takes an optional
// database handle so tests can use their own file.

export type AddRuleResult =
  | { ok: true; rule: ExclusionRuleRow }
  | { ok: false; reason: "invalid" | "duplicate"; error: string };

/** Every rule, oldest first, so earlier rules win inside a list (compileRules' contract). */
export function listExclusionRules(db: PortalDb = getDb()): ExclusionRuleRow[] {
  return db.select().from(exclusionRules).orderBy(asc(exclusionRules.id)).all();
}

/** The rules in the shape compileRules takes, with one query. */
export function loadRuleEntries(db: PortalDb = getDb()): RuleEntry[] {
  return db
    .select({ id: exclusionRules.id, kind: exclusionRules.kind, value: exclusionRules.value })
    .from(exclusionRules)
    .orderBy(asc(exclusionRules.id))
    .all();
}

/**
 * Identifies the stored rule set: ids are never reused (AUTOINCREMENT), so any addition raises the
 * highest id and any removal alone lowers the count — two different sets never share both.
 */
export function ruleSetVersion(db: PortalDb = getDb()): string {
  const row = db.select({ n: count(), top: max(exclusionRules.id) }).from(exclusionRules).get();
  return `${row?.n ?? 0}:${row?.top ?? 0}`;
}

/** Normalises `input`, refuses it when invalid or already listed, else stores it. */
export function addExclusionRule(kind: ListKind, input: string, actor: string, db: PortalDb = getDb()): AddRuleResult {
  const normalized = normalizeEntry(kind, input);
  if (!normalized.ok) return { ok: false, reason: "invalid", error: normalized.error };
  const { value, label } = normalized.value;
  const sameKind = db
    .select({ id: exclusionRules.id, kind: exclusionRules.kind, value: exclusionRules.value })
    .from(exclusionRules)
    .where(eq(exclusionRules.kind, kind))
    .all();
  const duplicate = { ok: false, reason: "duplicate", error: `${value} is already in the ${LIST_NAMES[kind]} list.` } as const;
  if (isDuplicate(kind, value, sameKind)) return duplicate;
  try {
    const rule = db.insert(exclusionRules).values({ kind, value, label, createdAt: Date.now(), createdBy: actor }).returning().get();
    return { ok: true, rule };
  } catch (err) {
    // Another administrator added the same value between our check and our insert.
    if ((err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return duplicate;
    throw err;
  }
}

/** Deletes one rule; returns what was deleted, or null when it was already gone. */
export function removeExclusionRule(id: number, db: PortalDb = getDb()): ExclusionRuleRow | null {
  return db.delete(exclusionRules).where(eq(exclusionRules.id, id)).returning().get() ?? null;
}
