import Link from "next/link";
import type { ReactNode } from "react";
import { detailSummary, formatUtc } from "@/lib/events/format";
import { KIND_LABELS, type TimelineKind } from "@/lib/events/kinds";
import type { TimelineRecord } from "@/lib/events/record";
import styles from "./events.module.css";

const kindLabel = (kind: string) => KIND_LABELS[kind as TimelineKind] ?? kind;

/** Names break after a dot or underscore and before the @ (`directory.|authenticate`, `erin|@corp.local`), not mid-word. */
function breakable(text: string | null): ReactNode {
  if (!text) return text;
  return text.split(/(?<=[._])|(?=@)/).flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

export function EventsTable(props: { rows: TimelineRecord[]; caption: string; olderHref: string | null; newestHref: string | null }) {
  const { rows } = props;
  return (
    <>
      {/* Long cells wrap and narrow screens stack the rows; focusable in case a cell still cannot fit. */}
      <div className={styles.tableWrap} role="region" aria-labelledby="events-caption" tabIndex={0}>
        <table className={`stack ${styles.events}`}>
          <caption id="events-caption">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
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
                <td className={styles.time} data-label="Time (UTC)">
                  <time dateTime={new Date(r.at).toISOString()}>{formatUtc(r.at)}</time>
                </td>
                <td data-label="Kind">{kindLabel(r.kind)}</td>
                <td className={styles.name} data-label="Type">{breakable(r.type)}</td>
                <td className={styles.name} data-label="User">
                  {breakable(r.user)}
                  {r.actor && r.actor !== r.user && <div className="muted">by {r.actor}</div>}
                </td>
                <td className={styles.long} data-label="Serial">{r.serial}</td>
                <td data-label="Result">{r.result}</td>
                <td className={styles.name} data-label="Code / reason">{breakable([r.code, r.reason].filter((v) => v !== null && v !== "").join(" / "))}</td>
                <td className={styles.long} data-label="Client IP">{r.clientIp}</td>
                <td className={styles.detail} data-label="Detail" title={detailSummary(r.detail, 2_000) || undefined}>
                  {detailSummary(r.detail)}
                </td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={9}>No events match these filters.</td>
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
