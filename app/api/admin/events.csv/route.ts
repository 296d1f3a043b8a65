import { syncSafeNetEvents } from "@/app/admin/events/sync";
import { withUserAsUpn } from "@/app/admin/events/user-filter";
import { authorizeRequest } from "@/lib/server/auth/session";
import { csvStream, exportFilename } from "@/lib/events/csv";
import { parseTimelineFilters } from "@/lib/events/filters";
import { store } from "@/lib/server/store";

export const dynamic = "force-dynamic";

// The timeline as CSV with the page's filters, streamed batch by batch however many rows match.
export async function GET(request: Request) {
  const auth = await authorizeRequest("admin");
  if ("refusal" in auth) return auth.refusal;
  const parsed = parseTimelineFilters(new URL(request.url).searchParams);
  if (!parsed.ok) {
    return Response.json(
      { error: { code: "invalid_input", message: "Some filters are not valid; correct them on the Events page and export again.", details: parsed.fieldErrors } },
      { status: 400 },
    );
  }
  // A SafeNet outage is already explained on the page; the export carries what is stored.
  await syncSafeNetEvents();
  const filters = await withUserAsUpn(parsed.page.filters);
  await store.recordEvent({ type: "events.exported", kind: "admin", actor: auth.viewer.upn, result: "success", detail: { filters } });
  return new Response(csvStream(store.timelineBatches(filters)), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFilename(Date.now())}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
