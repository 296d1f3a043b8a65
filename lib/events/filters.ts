import { z } from "zod";
import { decodeCursor, type TimelineCursor } from "./cursor";
import { RESULTS, TIMELINE_KINDS, type TimelineKind, type TimelineResult } from "./kinds";

// The timeline's filters as they travel in the URL (a GET form), parsed and checked in one place
// so the page, the CSV export and the tests agree. Times are datetime-local values read as UTC.

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface TimelineFilters {
  user?: string;
  kind?: TimelineKind;
  result?: TimelineResult;
  /** Inclusive start, ms since the epoch. */
  from?: number;
  /** Exclusive end, ms: the end of the minute (or second) the user chose, so that `to` is included. */
  to?: number;
}

export interface TimelinePage {
  filters: TimelineFilters;
  cursor?: TimelineCursor;
  limit: number;
}

/** The raw filter fields, to show again in the form and to carry in links. */
export type FilterValues = Record<"user" | "kind" | "result" | "from" | "to", string> & { limit?: string };

export type ParsedFilters =
  | { ok: true; page: TimelinePage; values: FilterValues }
  | { ok: false; fieldErrors: Partial<Record<keyof FilterValues, string>>; values: FilterValues };

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** A datetime-local value read as UTC: its start and how long the written precision lasts. */
export function parseUtcDateTime(value: string): { start: number; span: number } | null {
  const m = DATETIME.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac] = m;
  const start = Date.UTC(+y, +mo - 1, +d, +h, +mi, sec ? +sec : 0, frac ? +frac.padEnd(3, "0") : 0);
  const back = new Date(start);
  // Date.UTC rolls 31 February into March; a real date survives the round trip.
  const real = back.getUTCFullYear() === +y && back.getUTCMonth() === +mo - 1 && back.getUTCDate() === +d;
  if (!real || +h > 23 || +mi > 59 || (sec !== undefined && +sec > 59)) return null;
  const span = frac !== undefined ? 1 : sec !== undefined ? 1_000 : 60_000;
  return { start, span };
}

const dateMessage = "Enter a date and time in UTC such as 2026-11-28T14:30, or leave it empty.";
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const dateTime = z.preprocess(
  blankToUndefined,
  z
    .string()
    .transform((s, ctx) => {
      const parsed = parseUtcDateTime(s.trim());
      if (!parsed) {
        ctx.addIssue({ code: "custom", message: dateMessage });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),
);

export const filterEventsSchema = z
  .object({
    user: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(256, "Enter at most 256 characters.").optional()),
    kind: z.preprocess(blankToUndefined, z.enum(TIMELINE_KINDS, { error: "Choose a kind from the list." }).optional()),
    result: z.preprocess(blankToUndefined, z.enum(RESULTS, { error: "Choose a result from the list." }).optional()),
    from: dateTime,
    to: dateTime,
    cursor: z.preprocess(blankToUndefined, z.string().optional()),
    limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional()).catch(undefined),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from.start > v.to.start) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the range is before its start: choose a To time after From." });
    }
  });

function first(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** Parses the page's search params (or the export's query string). */
export function parseTimelineFilters(params: Record<string, string | string[] | undefined> | URLSearchParams): ParsedFilters {
  const get = (k: string) => (params instanceof URLSearchParams ? (params.get(k) ?? "") : first(params[k]));
  const raw = { user: get("user"), kind: get("kind"), result: get("result"), from: get("from"), to: get("to"), cursor: get("cursor"), limit: get("limit") };
  const values: FilterValues = { user: raw.user, kind: raw.kind, result: raw.result, from: raw.from, to: raw.to, ...(raw.limit && { limit: raw.limit }) };
  const parsed = filterEventsSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<keyof FilterValues, string>> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0]) as keyof FilterValues] ??= issue.message;
    return { ok: false, fieldErrors, values };
  }
  const d = parsed.data;
  const filters: TimelineFilters = {};
  if (d.user) filters.user = d.user;
  if (d.kind) filters.kind = d.kind;
  if (d.result) filters.result = d.result;
  if (d.from) filters.from = d.from.start;
  if (d.to) filters.to = d.to.start + d.to.span;
  // A garbled or stale cursor starts again from the newest events rather than failing the page.
  const cursor = d.cursor ? (decodeCursor(d.cursor) ?? undefined) : undefined;
  return { ok: true, page: { filters, cursor, limit: d.limit ?? DEFAULT_PAGE_SIZE }, values };
}

/** The query string for the timeline with these values, plus `extra` (e.g. a cursor); empty fields left out. */
export function timelineQuery(values: Partial<FilterValues>, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}
