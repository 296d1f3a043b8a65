import { bucketLabel, niceCeiling, type Bucket, type BucketPlan } from "@/lib/events/chart";
import { formatUtc } from "@/lib/events/format";
import styles from "./events.module.css";

// Successful and failed validations per bucket as server-rendered SVG bars, with the same numbers
// in a table for anyone who cannot see the chart.

const W = 720;
const H = 220;
const PAD = { top: 12, right: 8, bottom: 36, left: 44 };
const LABELS = 6;

export function AuthChart({ plan, buckets, user }: { plan: BucketPlan; buckets: Bucket[]; user?: string }) {
  const successes = buckets.reduce((n, b) => n + b.success, 0);
  const failures = buckets.reduce((n, b) => n + b.failure, 0);
  const top = niceCeiling(Math.max(...buckets.map((b) => Math.max(b.success, b.failure)), 2));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / buckets.length;
  const bar = Math.max(1, slot * 0.4);
  const y = (n: number) => PAD.top + plotH - (n / top) * plotH;
  const every = Math.ceil(buckets.length / LABELS);
  const range = `${formatUtc(plan.start)} up to ${formatUtc(plan.end)} UTC`;

  return (
    <figure className={styles.chart}>
      <figcaption>
        <strong>Authentications{user ? ` of ${user}` : ""}</strong>: successful and failed SafeNet OTP validations per{" "}
        {plan.sizeLabel}, {range}. Every PIN + OTP check the OTP service answered counts once, including those of portal sign-ins,
        so portal sign-in events are not counted again. Kind and result filters do not apply to the chart.
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Bar chart: ${successes} successful and ${failures} failed validations, ${range}. The numbers per ${plan.sizeLabel} are in the table below.`}>
        {[0, top / 2, top].filter(Number.isInteger).map((v) => (
          <g key={v}>
            <line className={styles.gridLine} x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = PAD.left + i * slot + (slot - 2 * bar) / 2;
          return (
            <g key={b.start}>
              <rect className={styles.barSuccess} x={x} y={y(b.success)} width={bar} height={y(0) - y(b.success)}>
                <title>{`${formatUtc(b.start)}: ${b.success} successful`}</title>
              </rect>
              <rect className={styles.barFailure} x={x + bar} y={y(b.failure)} width={bar} height={y(0) - y(b.failure)}>
                <title>{`${formatUtc(b.start)}: ${b.failure} failed`}</title>
              </rect>
              {i % every === 0 && (
                <text x={PAD.left + i * slot} y={H - PAD.bottom + 16}>
                  {bucketLabel(b.start, plan.size, i === 0)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className={styles.legend}>
        <li>
          <span className={styles.swatchSuccess} aria-hidden="true" />
          Successful ({successes})
        </li>
        <li>
          <span className={styles.swatchFailure} aria-hidden="true" />
          Failed ({failures})
        </li>
      </ul>
      <details>
        <summary>The numbers per {plan.sizeLabel}</summary>
        <table className="stack">
          <caption>Validations per {plan.sizeLabel} (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Successful</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.start}>
                <td data-label="From">{formatUtc(b.start)}</td>
                <td data-label="To">{formatUtc(b.end)}</td>
                <td data-label="Successful">{b.success}</td>
                <td data-label="Failed">{b.failure}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
