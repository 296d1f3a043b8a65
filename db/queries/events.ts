import type { PortalDb } from "../index";
import { events, type NewEvent } from "../schema";

// The portal's own events. Details never carry a password, PIN, passcode or activation key.

export type EventKind = "sign-in" | "settings" | "exclusions" | "admin" | "decision" | "enrollment" | "self-service";

export interface PortalEvent {
  type: string;
  kind: EventKind;
  actor?: string | null;
  user?: string | null;
  serial?: string | null;
  result: "success" | "failure" | "info";
  clientIp?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown> | null;
}

export async function recordEvent(db: PortalDb, e: PortalEvent): Promise<void> {
  const row: NewEvent = {
    at: Date.now(),
    source: "portal",
    type: e.type,
    kind: e.kind,
    actor: e.actor ?? null,
    user: e.user?.toLowerCase() ?? null,
    serial: e.serial ?? null,
    result: e.result,
    reason: e.reason ?? null,
    clientIp: e.clientIp ?? null,
    detail: e.detail ?? null,
  };
  await db.insert(events).values(row);
}
