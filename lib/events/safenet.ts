import type { SafeNetEvent } from "@/lib/safenet/contract";
import { kindOfSafeNetType, normaliseResult, type TimelineKind, type TimelineResult } from "./kinds";

// How one simulator event (GET /TMSWebAPI/v1/events) becomes a timeline row.

/** A simulator event as the TMS API returns it. */
export type SafeNetEventLike = SafeNetEvent;

export interface SafeNetTimelineRow {
  remoteId: number;
  at: number;
  type: string;
  kind: TimelineKind;
  user: string | null;
  serial: string | null;
  result: TimelineResult;
  code: number | null;
  reason: string | null;
  clientIp: string | null;
  detail: string | null;
}

/** The row to insert; an `at` that does not parse becomes `receivedAt`, so one odd event cannot stall ingestion. */
export function fromSafeNetEvent(e: SafeNetEventLike, receivedAt: number): SafeNetTimelineRow {
  const at = Date.parse(e.at);
  return {
    remoteId: e.id,
    at: Number.isFinite(at) ? at : receivedAt,
    type: e.type,
    kind: kindOfSafeNetType(e.type),
    user: e.user ? e.user.toLowerCase() : null,
    serial: e.serial ?? null,
    result: normaliseResult(e.result),
    code: typeof e.code === "number" ? e.code : null,
    reason: e.reason ?? null,
    clientIp: e.clientIp ?? null,
    detail: e.detail == null ? null : JSON.stringify(e.detail),
  };
}
