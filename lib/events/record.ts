// One row of the timeline as the queries return it; `detail` stays JSON text until shown.

export interface TimelineRecord {
  id: number;
  at: number;
  source: "portal" | "safenet";
  remoteId: number | null;
  type: string;
  kind: string;
  actor: string | null;
  user: string | null;
  serial: string | null;
  result: string;
  code: number | null;
  reason: string | null;
  clientIp: string | null;
  detail: string | null;
}
