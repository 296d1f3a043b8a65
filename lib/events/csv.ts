import type { TimelineRecord } from "./record";

// CSV per RFC 4180 (CRLF, quotes doubled, fields with , " CR or LF quoted), with text cells that a
// spreadsheet would run as a formula prefixed by a single quote (OWASP "CSV injection").

export const CSV_COLUMNS = ["time_utc", "source", "kind", "type", "actor", "user", "serial", "result", "code", "reason", "client_ip", "detail", "id", "remote_id"];

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

export function eventCsvLine(r: TimelineRecord): string {
  return csvLine([new Date(r.at).toISOString(), r.source, r.kind, r.type, r.actor, r.user, r.serial, r.result, r.code, r.reason, r.clientIp, r.detail, r.id, r.remoteId]);
}

/** `events-20261128T140305Z.csv` for the moment of the export. */
export function exportFilename(now: number): string {
  return `events-${new Date(now).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}.csv`;
}

/**
 * A byte stream of the header and then one CSV text per batch of rows, produced only when the reader
 * asks for more, so an export of any size holds one batch in memory at a time.
 */
export function csvStream(batches: AsyncIterator<TimelineRecord[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(CSV_COLUMNS)));
      },
      async pull(controller) {
        try {
          const next = await batches.next();
          if (next.done) return controller.close();
          let text = "";
          for (const row of next.value) text += eventCsvLine(row);
          controller.enqueue(encoder.encode(text));
        } catch (err) {
          controller.error(err);
        }
      },
      async cancel() {
        await batches.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
