import { asc, count, eq, max } from "drizzle-orm";
import { isDuplicate, LIST_NAMES, normalizeEntry, type ListKind, type RuleEntry } from "@/lib/mfa/rules";
import type { PortalDb } from "../index";
import { exclusionRules, type ExclusionRuleRow } from "../schema";

// Exclusion rules as stored: normalised values, unique per list.

export type AddRuleResult =
  | { ok: true; rule: ExclusionRuleRow }
  | { ok: false; reason: "invalid" | "duplicate"; error: string };

/** Every rule, oldest first, so earlier rules win inside a list (compileRules' contract). */
export async function listExclusionRules(db: PortalDb): Promise<ExclusionRuleRow[]> {
  return db.select().from(exclusionRules).orderBy(asc(exclusionRules.id));
}

/** The rules in the shape compileRules takes, with one query. */
export async function loadRuleEntries(db: PortalDb): Promise<RuleEntry[]> {
  return db
    .select({ id: exclusionRules.id, kind: exclusionRules.kind, value: exclusionRules.value })
    .from(exclusionRules)
    .orderBy(asc(exclusionRules.id));
}

/**
 * Identifies the stored rule set: ids are never reused (AUTOINCREMENT), so any addition raises the
 * highest id and any removal alone lowers the count — two different sets never share both.
 */
export async function ruleSetVersion(db: PortalDb): Promise<string> {
  const [row] = await db.select({ n: count(), top: max(exclusionRules.id) }).from(exclusionRules);
  return `${row?.n ?? 0}:${row?.top ?? 0}`;
}

/** Normalises `input`, refuses it when invalid or already listed, else stores it. */
export async function addExclusionRule(db: PortalDb, kind: ListKind, input: string, actor: string): Promise<AddRuleResult> {
  const normalized = normalizeEntry(kind, input);
  if (!normalized.ok) return { ok: false, reason: "invalid", error: normalized.error };
  const { value, label } = normalized.value;
  const sameKind = await db
    .select({ id: exclusionRules.id, kind: exclusionRules.kind, value: exclusionRules.value })
    .from(exclusionRules)
    .where(eq(exclusionRules.kind, kind));
  const duplicate = { ok: false, reason: "duplicate", error: `${value} is already in the ${LIST_NAMES[kind]} list.` } as const;
  if (isDuplicate(kind, value, sameKind)) return duplicate;
  try {
    const [rule] = await db.insert(exclusionRules).values({ kind, value, label, createdAt: Date.now(), createdBy: actor }).returning();
    return { ok: true, rule };
  } catch (err) {
    // Another administrator added the same value between our check and our insert.
    if ((err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return duplicate;
    throw err;
  }
}

/** Deletes one rule; returns what was deleted, or null when it was already gone. */
export async function removeExclusionRule(db: PortalDb, id: number): Promise<ExclusionRuleRow | null> {
  const [gone] = await db.delete(exclusionRules).where(eq(exclusionRules.id, id)).returning();
  return gone ?? null;
}
