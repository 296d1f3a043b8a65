// How timeline values read on the page: UTC times, short detail summaries.

/** `2026-11-28 14:03:05` (UTC). */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** A one-line summary of an event's JSON detail, cut at `max` characters. */
export function detailSummary(detail: string | null, max = 80): string {
  if (!detail) return "";
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return cut(detail, max);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return cut(JSON.stringify(value), max);
  const parts = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`,
  );
  return cut(parts.join("; "), max);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
