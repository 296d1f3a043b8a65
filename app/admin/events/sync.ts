import { SafeNetError } from "@/lib/safenet/contract";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

// Copies the simulator's new events in before the timeline or the export reads it. Returns the
// notice to show when the copy failed or stopped early; the stored events are shown either way.
export async function syncSafeNetEvents(): Promise<string | null> {
  const client = await safenet();
  const result = await store.ingestSafeNetEvents((after, limit) => client.events(after, limit));
  if (result.error) {
    if (!(result.error instanceof SafeNetError)) console.error("SafeNet event ingestion failed", result.error);
    const why = result.error instanceof SafeNetError ? result.error.message : "An unexpected error occurred; the server log has the details.";
    const copied = result.inserted ? ` (${result.inserted} new ones were copied in before it failed)` : "";
    return `The SafeNet events could not be fetched: ${why} The timeline shows the events stored so far${copied}; reload the page to try again.`;
  }
  if (!result.complete) {
    return `${result.inserted} new SafeNet events were copied in and more are still waiting; reload the page to fetch the rest.`;
  }
  return null;
}
