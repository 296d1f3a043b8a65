import Link from "next/link";
import { detailSummary, formatUtc } from "@/lib/events/format";
import { KIND_LABELS, type TimelineKind } from "@/lib/events/kinds";
import type { TimelineRecord } from "@/lib/events/record";
import styles from "./events.module.css";

const kindLabel = (kind: string) => KIND_LABELS[kind as TimelineKind] ?? kind;

export function EventsTable(props: { rows: TimelineRecord[]; caption: string; olderHref: string | null; newestHref: string | null }) {
  const { rows } = props;
  return (
    <>
      {/* Focusable so that keyboard users can scroll a wide table sideways. */}
      <div className={styles.tableWrap} role="region" aria-labelledby="events-caption" tabIndex={0}>
        <table className={styles.events}>
          <caption id="events-caption">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Source</th>
              <th scope="col">Kind</th>
              <th scope="col">Type</th>
              <th scope="col">User</th>
              <th scope="col">Serial</th>
              <th scope="col">Result</th>
              <th scope="col">Code / reason</th>
              <th scope="col">Client IP</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className={styles.nowrap}>
                  <time dateTime={new Date(r.at).toISOString()}>{formatUtc(r.at)}</time>
                </td>
                <td>{r.source === "safenet" ? "SafeNet" : "Portal"}</td>
                <td>{kindLabel(r.kind)}</td>
                <td>{r.type}</td>
                <td>
                  {r.user}
                  {r.actor && r.actor !== r.user && <div className="muted">by {r.actor}</div>}
                </td>
                <td>{r.serial}</td>
                <td>{r.result}</td>
                <td>{[r.code, r.reason].filter((v) => v !== null && v !== "").join(" / ")}</td>
                <td>{r.clientIp}</td>
                <td>{detailSummary(r.detail)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={10}>No events match these filters.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {(props.olderHref || props.newestHref) && (
        <nav aria-label="Event pages" className={styles.paging}>
          {props.newestHref && <Link href={props.newestHref}>Newest events</Link>}
          {props.olderHref && <Link href={props.olderHref}>Older events</Link>}
        </nav>
      )}
    </>
  );
}
