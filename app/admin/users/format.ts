// Small display helpers shared by the users list and a user's page.

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** "28 Nov 2026, 17:05:09 UTC", or null when SafeNet has no date. */
export function formatWhen(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateTime.format(d)} UTC`;
}

export function userHref(upn: string): string {
  return `/admin/users/${encodeURIComponent(upn)}`;
}

export const PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** The list's URL for a search, a cursor and a page size; defaults stay out of the URL. */
export function listHref(q: { search?: string; cursor?: string; limit?: number }): string {
  const params = new URLSearchParams();
  if (q.search) params.set("search", q.search);
  if (q.cursor) params.set("cursor", q.cursor);
  if (q.limit && q.limit !== PAGE_SIZE) params.set("limit", String(q.limit));
  const s = params.toString();
  return s ? `/admin/users?${s}` : "/admin/users";
}
