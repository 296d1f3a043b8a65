import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

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
  await db.run(sql`
    INSERT INTO events (at, source, type, kind, actor, "user", serial, result, reason, client_ip, detail)
    VALUES (${Date.now()}, 'portal', ${e.type}, ${e.kind}, ${e.actor ?? null}, ${e.user?.toLowerCase() ?? null}, ${e.serial ?? null},
            ${e.result}, ${e.reason ?? null}, ${e.clientIp ?? null}, ${e.detail == null ? null : JSON.stringify(e.detail)})`);
}
