import crypto from "node:crypto";
import type { EventResult } from "../../lib/safenet/contract";

// The RADIUS server's two bounded in-memory tables: recent answers (for retransmissions) and the
// drop counters behind its events. Neither holds anything another instance would need.

export type DropReason =
  | "malformed"
  | "not_access_request"
  | "unknown_node"
  | "bad_message_authenticator"
  | "missing_message_authenticator"
  | "bad_password"
  | "overloaded";

/** Shaped like the simulator's event input, so the wiring can hand it to the event log as it is. */
export interface RadiusDropEvent {
  type: "radius_drop";
  result: EventResult;
  reason: DropReason;
  clientIp: string;
  /** Only what the server itself knows: never the packet's User-Name, which anyone can write. */
  detail: { port: number; node?: string; error?: string; suppressed: number };
}

export interface DuplicateEntry {
  digest: Buffer;
  at: number;
  response?: Buffer;
}

const digestOf = (raw: Buffer) => crypto.createHash("sha256").update(raw).digest();

/**
 * RFC 5080 §2.2.2: a request from the same address and port with the same Identifier and the same
 * octets (so the same Request Authenticator) within the window is a retransmission.
 */
export class DuplicateCache {
  // Insertion order is age order: entries are deleted before they are set again.
  private entries = new Map<string, DuplicateEntry>();

  constructor(
    private windowMs: number,
    private maxEntries: number,
  ) {}

  find(key: string, raw: Buffer, nowMs: number): DuplicateEntry | undefined {
    const e = this.entries.get(key);
    if (!e || nowMs - e.at >= this.windowMs) return undefined;
    return crypto.timingSafeEqual(e.digest, digestOf(raw)) ? e : undefined;
  }

  start(key: string, raw: Buffer, nowMs: number): DuplicateEntry {
    for (const [k, e] of this.entries) {
      if (nowMs - e.at < this.windowMs && this.entries.size < this.maxEntries) break;
      this.entries.delete(k);
    }
    const entry: DuplicateEntry = { digest: digestOf(raw), at: nowMs };
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** After a drop or a failure: a retransmission is then worked on (and dropped) afresh. */
  forget(key: string, entry: DuplicateEntry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}

const MAX_WINDOWS = 4096;

/** Counts every drop; records the first per address and reason in each window, with how many it folded. */
export class DropLog {
  private windows = new Map<string, { at: number; suppressed: number }>();
  private totals: Record<string, number> = {};

  constructor(
    private windowMs: number,
    private record: (e: RadiusDropEvent) => Promise<void>,
    private log: (line: string) => void,
    private now: () => number = Date.now,
  ) {}

  counts(): Readonly<Record<string, number>> {
    return { ...this.totals };
  }

  async drop(ip: string, port: number, reason: DropReason, more: { node?: string; error?: string } = {}): Promise<void> {
    this.totals[reason] = (this.totals[reason] ?? 0) + 1;
    const key = `${ip}|${reason}`;
    const at = this.now();
    const w = this.windows.get(key);
    if (w && at - w.at < this.windowMs) {
      w.suppressed++;
      return;
    }
    if (this.windows.size >= MAX_WINDOWS) this.prune(at);
    this.windows.set(key, { at, suppressed: 0 });
    const detail = { port, suppressed: w?.suppressed ?? 0, ...(more.node && { node: more.node }), ...(more.error && { error: more.error }) };
    this.log(`RADIUS: dropped a request from ${ip}:${port} (${reason}${more.error ? `: ${more.error}` : ""})`);
    try {
      await this.record({ type: "radius_drop", result: "failure", reason, clientIp: ip, detail });
    } catch (err) {
      this.log(`RADIUS: could not record a drop: ${(err as Error).message}`);
    }
  }

  private prune(at: number) {
    for (const [k, w] of this.windows) if (at - w.at >= this.windowMs) this.windows.delete(k);
    if (this.windows.size >= MAX_WINDOWS) this.windows.clear();
  }
}
