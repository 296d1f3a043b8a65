import "server-only";
import type { TimelineFilters } from "@/lib/events/filters";
import { safenet } from "@/lib/server/safenet/endpoints";

// Events are filed under the UPN whenever the directory knows the name typed at sign-in, so the user
// filter reads `CORP\erin` or `erin` the same way: as the UPN the directory gives, else as typed.
export async function withUserAsUpn(filters: TimelineFilters): Promise<TimelineFilters> {
  if (!filters.user || filters.user.includes("@")) return filters;
  const known = await (await safenet()).getUser(filters.user).catch(() => null);
  return known ? { ...filters, user: known.upn.toLowerCase() } : filters;
}
