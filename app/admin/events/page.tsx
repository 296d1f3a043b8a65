import type { Metadata } from "next";
import { requireAdmin } from "@/lib/server/auth/session";
import { chartRange, planBuckets } from "@/lib/events/chart";
import { parseTimelineFilters, timelineQuery, type FilterValues, type TimelineFilters, type TimelinePage } from "@/lib/events/filters";
import { KIND_LABELS, RESULT_LABELS } from "@/lib/events/kinds";
import { AuthChart } from "./auth-chart";
import { EventsTable } from "./events-table";
import { FiltersForm } from "./filters-form";
import { syncSafeNetEvents } from "./sync";
import { withUserAsUpn } from "./user-filter";
import styles from "./events.module.css";
import { store } from "@/lib/server/store";

export const metadata: Metadata = { title: "Events" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EventsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const parsed = parseTimelineFilters(await searchParams);
  const notice = await syncSafeNetEvents();
  const { values } = parsed;

  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">Events</h1>
      <p>
        One timeline of the portal&apos;s own events (sign-ins, settings changes, admin actions, MFA decisions) and SafeNet&apos;s
        validations and token operations, newest first.
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <FiltersForm values={values} errors={parsed.ok ? {} : parsed.fieldErrors} />
      {parsed.ok ? <Timeline page={parsed.page} values={values} /> : <p>Correct the filters above to see the events.</p>}
    </section>
  );
}

async function Timeline({ page: asTyped, values }: { page: TimelinePage; values: FilterValues }) {
  const page = { ...asTyped, filters: await withUserAsUpn(asTyped.filters) };
  const { rows, nextCursor } = await store.listTimeline(page);
  const plan = planBuckets(chartRange(page.filters, Date.now()));
  const buckets = await store.authBuckets(plan, page.filters.user);
  const filterOnly: FilterValues = { ...values, limit: undefined };
  return (
    <>
      <h2>Authentications over time</h2>
      <AuthChart plan={plan} buckets={buckets} user={page.filters.user} />
      <h2>Events</h2>
      <div className={styles.actions}>
        <a href={`/api/admin/events.csv${timelineQuery(filterOnly)}`} download>
          Export CSV
        </a>
        <span className="muted">Every event that matches the filters, not only this page.</span>
      </div>
      <EventsTable
        rows={rows}
        caption={caption(page.filters, !!page.cursor)}
        olderHref={nextCursor ? `/admin/events${timelineQuery(values, { cursor: nextCursor })}` : null}
        newestHref={page.cursor ? `/admin/events${timelineQuery(values)}` : null}
      />
    </>
  );
}

function caption(f: TimelineFilters, older: boolean): string {
  const parts = [
    f.user && `of ${f.user}`,
    f.kind && `of kind “${KIND_LABELS[f.kind]}”`,
    f.result && `with result “${RESULT_LABELS[f.result]}”`,
  ].filter(Boolean);
  return `${older ? "Older events" : "Events"}${parts.length ? ` ${parts.join(", ")}` : ""}, newest first`;
}
