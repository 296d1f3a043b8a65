import "server-only";
import crypto from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import { ATTR, CODE, encodeAccessRequest, encodeUserPassword, parsePacket, valuesOf, verifyResponse, type Attribute } from "@/lib/radius/packet";

// The portal as a RADIUS client (RFC 2865, PAP), for the connection test's OTP step: one
// Access-Request with a Message-Authenticator, retransmitted unchanged (RFC 5080 §2.2.1) until an
// answer that verifies under the shared secret arrives or the deadline passes. Answers that do not
// verify (another secret, a forgery) are ignored, as RADIUS clients do; the passcode is never logged.

export interface RadiusTarget {
  host: string;
  port: number;
  secret: string;
}

export interface RadiusQuestion {
  username: string;
  password: string;
  /** The State of an Access-Challenge, sent back with the next passcode. */
  state?: Buffer;
  /** The user's device: SafeNet records it as the client, as it does HTTP's clientIp. */
  callingStationId?: string;
}

export type RadiusReply =
  | { kind: "accept" | "reject" | "challenge"; message: string; state?: Buffer }
  | { kind: "timeout"; waitedMs: number }
  | { kind: "unreachable"; error: string };

export const NAS_IDENTIFIER = "safenet-login-portal";

const KIND: Record<number, "accept" | "reject" | "challenge"> = { [CODE.accessAccept]: "accept", [CODE.accessReject]: "reject", [CODE.accessChallenge]: "challenge" };

export async function radiusAuthenticate(target: RadiusTarget, q: RadiusQuestion, opts: { deadlineMs: number; retransmitMs?: number }): Promise<RadiusReply> {
  const host = target.host.replace(/^\[(.*)\]$/, "$1");
  const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
  const identifier = crypto.randomInt(256);
  const authenticator = crypto.randomBytes(16);
  const attributes: Attribute[] = [
    { type: ATTR.userName, value: Buffer.from(q.username, "utf8") },
    { type: ATTR.userPassword, value: encodeUserPassword(q.password, target.secret, authenticator) },
    { type: ATTR.nasIdentifier, value: Buffer.from(NAS_IDENTIFIER) },
    ...(q.callingStationId ? [{ type: ATTR.callingStationId, value: Buffer.from(q.callingStationId) }] : []),
    ...(q.state ? [{ type: ATTR.state, value: q.state }] : []),
  ];
  const request = encodeAccessRequest({ identifier, secret: target.secret, authenticator, attributes, messageAuthenticator: true });
  const started = Date.now();
  const retransmitMs = opts.retransmitMs ?? 1000;

  return new Promise<RadiusReply>((resolve) => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (reply: RadiusReply) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      socket.close();
      resolve(reply);
    };
    const send = () =>
      socket.send(request, target.port, host, (err) => {
        if (err) finish({ kind: "unreachable", error: err.message });
      });
    socket.on("error", (err) => finish({ kind: "unreachable", error: err.message }));
    socket.on("message", (datagram) => {
      const parsed = parsePacket(datagram);
      if (!parsed.ok) return;
      const p = parsed.value;
      const kind = KIND[p.code];
      if (!kind || !verifyResponse(p, { identifier, authenticator }, target.secret)) return;
      const message = Buffer.concat(valuesOf(p, ATTR.replyMessage)).toString("utf8");
      const state = valuesOf(p, ATTR.state)[0];
      finish({ kind, message, ...(state && { state: Buffer.from(state) }) });
    });
    timers.push(setTimeout(() => finish({ kind: "timeout", waitedMs: Date.now() - started }), opts.deadlineMs));
    for (let at = retransmitMs; at < opts.deadlineMs; at += retransmitMs) timers.push(setTimeout(send, at));
    send();
  });
}
