import dgram from "node:dgram";
import net from "node:net";
import { readAccessRequest } from "./access-request";
import { DropLog, DuplicateCache, type DropReason, type RadiusDropEvent } from "./server-state";
import { canonicalIp, type AuthNodeLookup } from "./nodes";
import { ATTR, CODE, checkMessageAuthenticator, decodeUserPassword, encodeResponse, parsePacket, textAttributes, type Packet } from "../../lib/radius/packet";

// The simulator's RADIUS front end (RFC 2865 over UDP): PAP Access-Requests from auth nodes become
// validator calls. It keeps no state another instance would need: resync states live with the
// validator (in the database); the duplicate cache (RFC 5080 §2.2.2) is per instance by nature, since
// a NAS retransmits to the server it asked, and losing it costs at most one extra validation.

export interface RadiusValidateRequest {
  username: string;
  passcode: string;
  state?: string;
  clientIp?: string;
  /** Who asked, for the validator's event: the node and what the NAS said about itself. */
  radius: { node: string; from: string; nasIp?: string; nasIdentifier?: string; callingStationId?: string };
}

export interface RadiusValidateAnswer {
  code: 0 | 1 | 5;
  message: string;
  state?: string;
}

export interface RadiusLimits {
  /** Requests from one source address being worked on at once; more are dropped. */
  perAddress: number;
  /** Requests being worked on at once from everyone. */
  total: number;
  duplicateWindowMs: number;
  duplicateEntries: number;
  /** At most one drop event per source address and reason in this window (the rest are counted in it). */
  eventWindowMs: number;
}

export const DEFAULT_LIMITS: RadiusLimits = { perAddress: 32, total: 1024, duplicateWindowMs: 30_000, duplicateEntries: 65_536, eventWindowMs: 10_000 };

export interface RadiusServerOptions {
  host: string;
  port: number;
  nodes: AuthNodeLookup;
  validate(req: RadiusValidateRequest): Promise<RadiusValidateAnswer>;
  record(event: RadiusDropEvent): Promise<void>;
  log: (line: string) => void;
  limits?: Partial<RadiusLimits>;
  now?: () => number;
}

export interface RadiusServer {
  port: number;
  /** Drops per reason since start (every drop, also those the event window folded together). */
  dropped(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export type { AuthNode, AuthNodeLookup } from "./nodes";
export type { DropReason, RadiusDropEvent } from "./server-state";

const PAP_ONLY = "This server takes PAP only: send User-Name and User-Password (the PIN followed by the one-time password).";

type Outcome = { answer: Buffer } | { drop: DropReason; error?: string; node?: string };

export async function startRadiusServer(o: RadiusServerOptions): Promise<RadiusServer> {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const now = o.now ?? Date.now;
  const socket = dgram.createSocket({ type: net.isIPv6(o.host) ? "udp6" : "udp4" });
  const duplicates = new DuplicateCache(limits.duplicateWindowMs, limits.duplicateEntries);
  const drops = new DropLog(limits.eventWindowMs, o.record, o.log, now);
  const busy = new Map<string, number>();
  let total = 0;
  let closed = false;

  const send = (packet: Buffer, port: number, address: string) => {
    if (closed) return;
    socket.send(packet, port, address, (err) => err && o.log(`RADIUS: could not answer ${address}:${port}: ${err.message}`));
  };

  const admit = (ip: string) => {
    const mine = busy.get(ip) ?? 0;
    if (mine >= limits.perAddress || total >= limits.total) return false;
    busy.set(ip, mine + 1);
    total++;
    return true;
  };
  const release = (ip: string) => {
    const mine = (busy.get(ip) ?? 1) - 1;
    if (mine === 0) busy.delete(ip);
    else busy.set(ip, mine);
    total--;
  };

  async function answer(p: Packet, ip: string): Promise<Outcome> {
    const node = await o.nodes.forAddress(ip);
    if (!node) return { drop: "unknown_node" };
    const ma = checkMessageAuthenticator(p, node.secret);
    if (ma === "bad") return { drop: "bad_message_authenticator", node: node.name };
    if (ma === "absent" && node.requireMessageAuthenticator) return { drop: "missing_message_authenticator", node: node.name };
    const fields = readAccessRequest(p);
    if (!fields.ok) return { drop: "malformed", error: fields.error, node: node.name };
    const f = fields.value;
    const reply = (code: number, message: string, state?: string) => ({
      answer: encodeResponse({
        code,
        request: p,
        secret: node.secret,
        attributes: [...textAttributes(ATTR.replyMessage, message), ...(state ? [{ type: ATTR.state, value: Buffer.from(state, "latin1") }] : [])],
      }),
    });
    if (f.username === undefined || f.password === undefined) return reply(CODE.accessReject, PAP_ONLY);
    const passcode = decodeUserPassword(f.password, node.secret, p.authenticator);
    // Without a Message-Authenticator this is how another secret shows: the password decodes to noise.
    if (!passcode.ok) return { drop: "bad_password", error: passcode.error, node: node.name };
    const caller = f.callingStationId === undefined ? undefined : canonicalIp(f.callingStationId);
    const v = await o.validate({
      username: f.username,
      passcode: passcode.value,
      ...(f.state !== undefined && { state: f.state }),
      clientIp: caller ?? ip,
      radius: { node: node.name, from: ip, nasIp: f.nasIp, nasIdentifier: f.nasIdentifier, callingStationId: f.callingStationId },
    });
    if (v.code === 1) return reply(CODE.accessAccept, v.message);
    if (v.code === 5 && v.state) return reply(CODE.accessChallenge, v.message, v.state);
    return reply(CODE.accessReject, v.message);
  }

  async function handle(datagram: Buffer, from: dgram.RemoteInfo): Promise<void> {
    const ip = canonicalIp(from.address) ?? from.address;
    const parsed = parsePacket(datagram);
    if (!parsed.ok) return drops.drop(ip, from.port, "malformed", { error: parsed.error });
    const p = parsed.value;
    if (p.code !== CODE.accessRequest) return drops.drop(ip, from.port, "not_access_request", { error: `code ${p.code}` });
    const key = `${ip}|${from.port}|${p.identifier}`;
    const seen = duplicates.find(key, p.raw, now());
    if (seen) {
      // A retransmission: the same answer again, or nothing while the first is still being worked on.
      if (seen.response) send(seen.response, from.port, from.address);
      return;
    }
    if (!admit(ip)) return drops.drop(ip, from.port, "overloaded");
    const entry = duplicates.start(key, p.raw, now());
    try {
      const outcome = await answer(p, ip);
      if ("answer" in outcome) {
        entry.response = outcome.answer;
        send(outcome.answer, from.port, from.address);
      } else {
        duplicates.forget(key, entry);
        await drops.drop(ip, from.port, outcome.drop, { error: outcome.error, node: outcome.node });
      }
    } catch (err) {
      // No answer: the NAS retries, and the retransmission is worked on afresh.
      duplicates.forget(key, entry);
      o.log(`RADIUS: request from ${ip} failed: ${(err as Error).message}`);
    } finally {
      release(ip);
    }
  }

  socket.on("message", (datagram, from) => {
    if (!closed) void handle(datagram, from).catch((err: Error) => o.log(`RADIUS: ${err.message}`));
  });
  socket.on("error", (err) => o.log(`RADIUS socket error: ${err.message}`));

  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(o.port, o.host, () => {
      socket.off("error", reject);
      resolve();
    });
  });

  return {
    port: socket.address().port,
    dropped: () => drops.counts(),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
  };
}
