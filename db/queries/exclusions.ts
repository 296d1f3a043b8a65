import { isDuplicate, LIST_NAMES, normalizeEntry, type ListKind, type RuleEntry } from "@/lib/mfa/rules";
import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

// Exclusion rules as stored: normalised values, unique per list.

export interface ExclusionRuleRow {
  id: number;
  kind: ListKind;
  value: string;
  label: string;
  createdAt: number;
  createdBy: string;
}

const COLUMNS = sql`id, kind, value, label, created_at AS "createdAt", created_by AS "createdBy"`;

export type AddRuleResult =
  | { ok: true; rule: ExclusionRuleRow }
  | { ok: false; reason: "invalid" | "duplicate"; error: string };

/** Every rule, oldest first, so earlier rules win inside a list (compileRules' contract). */
export async function listExclusionRules(db: PortalDb): Promise<ExclusionRuleRow[]> {
  return db.all<ExclusionRuleRow>(sql`SELECT ${COLUMNS} FROM exclusion_rules ORDER BY id`);
}

/** The rules in the shape compileRules takes, with one query. */
export async function loadRuleEntries(db: PortalDb): Promise<RuleEntry[]> {
  return db.all<RuleEntry>(sql`SELECT id, kind, value FROM exclusion_rules ORDER BY id`);
}

/**
 * Identifies the stored rule set: ids are never reused (AUTOINCREMENT; a sequence on PostgreSQL), so
 * any addition raises the highest id and any removal alone lowers the count — two different sets never share both.
 */
export async function ruleSetVersion(db: PortalDb): Promise<string> {
  const row = await db.get<{ n: number; top: number | null }>(sql`SELECT count(*) AS n, max(id) AS top FROM exclusion_rules`);
  return `${row?.n ?? 0}:${row?.top ?? 0}`;
}

/** Normalises `input`, refuses it when invalid or already listed, else stores it. */
export async function addExclusionRule(db: PortalDb, kind: ListKind, input: string, actor: string): Promise<AddRuleResult> {
  const normalized = normalizeEntry(kind, input);
  if (!normalized.ok) return { ok: false, reason: "invalid", error: normalized.error };
  const { value, label } = normalized.value;
  const sameKind = await db.all<RuleEntry>(sql`SELECT id, kind, value FROM exclusion_rules WHERE kind = ${kind}`);
  const duplicate = { ok: false, reason: "duplicate", error: `${value} is already in the ${LIST_NAMES[kind]} list.` } as const;
  if (isDuplicate(kind, value, sameKind)) return duplicate;
  // Another administrator may add the same value between our check and our insert: the unique index decides.
  const rule = await db.get<ExclusionRuleRow>(sql`
    INSERT INTO exclusion_rules (kind, value, label, created_at, created_by) VALUES (${kind}, ${value}, ${label}, ${Date.now()}, ${actor})
    ON CONFLICT (kind, value) DO NOTHING
    RETURNING ${COLUMNS}`);
  return rule ? { ok: true, rule } : duplicate;
}

/** Deletes one rule; returns what was deleted, or null when it was already gone. */
export async function removeExclusionRule(db: PortalDb, id: number): Promise<ExclusionRuleRow | null> {
  return (await db.get<ExclusionRuleRow>(sql`DELETE FROM exclusion_rules WHERE id = ${id} RETURNING ${COLUMNS}`)) ?? null;
}
