import { execFile } from "node:child_process";
import dgram from "node:dgram";
import { ATTR, encodeAccessRequest, encodeUserPassword, parsePacket, verifyResponse, type Attribute, type Packet } from "../../../lib/radius/packet";

// A RADIUS client for tests: raw datagrams in, the parsed answer (or null after a timeout) out; and
// FreeRADIUS's own radclient, for an implementation that is not ours.

export interface Sent {
  request: Buffer;
  response: Packet | null;
  /** The response's octets, for comparing a retransmission's answer with the first one. */
  raw: Buffer | null;
}

export async function exchange(
  port: number,
  datagrams: Buffer[],
  opts: { from?: string; fromPort?: number; waitMs?: number; answers?: number } = {},
): Promise<Buffer[]> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(opts.fromPort ?? 0, opts.from ?? "127.0.0.1", resolve));
  const got: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, opts.waitMs ?? 400);
    socket.on("message", (m) => {
      got.push(m);
      if (opts.answers !== undefined && got.length >= opts.answers) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  for (const d of datagrams) socket.send(d, port, "127.0.0.1");
  await done;
  await new Promise<void>((resolve) => socket.close(resolve));
  return got;
}

export interface AccessRequestSpec {
  username?: string;
  password?: string;
  state?: string;
  secret: string;
  identifier?: number;
  messageAuthenticator?: boolean;
  /** The secret that hides the password, when it should differ from `secret`. */
  passwordSecret?: string;
  extra?: Attribute[];
}

export function accessRequest(s: AccessRequestSpec): Buffer {
  const authenticator = Buffer.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256)));
  const attrs: Attribute[] = [];
  if (s.username !== undefined) attrs.push({ type: ATTR.userName, value: Buffer.from(s.username) });
  if (s.password !== undefined) attrs.push({ type: ATTR.userPassword, value: encodeUserPassword(s.password, s.passwordSecret ?? s.secret, authenticator) });
  if (s.state !== undefined) attrs.push({ type: ATTR.state, value: Buffer.from(s.state) });
  attrs.push({ type: ATTR.nasIdentifier, value: Buffer.from("test-nas") }, ...(s.extra ?? []));
  return encodeAccessRequest({ identifier: s.identifier ?? 1, secret: s.secret, authenticator, attributes: attrs, messageAuthenticator: s.messageAuthenticator ?? true });
}

/** Sends one request and returns the verified answer, or null when none came; throws on an answer that does not verify. */
export async function ask(port: number, s: AccessRequestSpec & { from?: string; waitMs?: number }): Promise<Sent> {
  const request = accessRequest(s);
  const [raw] = await exchange(port, [request], { from: s.from, waitMs: s.waitMs ?? 400, answers: 1 });
  if (!raw) return { request, response: null, raw: null };
  const response = parsePacket(raw);
  const req = parsePacket(request);
  if (!response.ok || !req.ok) throw new Error("unparseable exchange");
  if (!verifyResponse(response.value, req.value, s.secret)) throw new Error("the response does not verify under the shared secret");
  return { request, response: response.value, raw };
}

export const text = (p: Packet | null, type: number) =>
  p ? Buffer.concat(p.attributes.filter((a) => a.type === type).map((a) => a.value)).toString("utf8") : undefined;

/** FreeRADIUS's radclient: `attributes` are its input lines; resolves with what it printed and its exit code. */
export function radclient(port: number, secret: string, attributes: string[], args: string[] = []): Promise<{ out: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile("/usr/bin/radclient", ["-x", "-r", "1", "-t", "1", ...args, `127.0.0.1:${port}`, "auth", secret], (err, stdout, stderr) => {
      resolve({ out: `${stdout}${stderr}`, code: err ? (typeof err.code === "number" ? err.code : 1) : 0 });
    });
    child.stdin?.end(attributes.join("\n") + "\n");
  });
}

/** FreeRADIUS's radtest (radclient underneath, with `Message-Authenticator = 0x00`). */
export function radtest(port: number, user: string, password: string, secret: string): Promise<{ out: string; code: number }> {
  return new Promise((resolve) => {
    execFile("/usr/bin/radtest", [user, password, `127.0.0.1:${port}`, "0", secret, "0", "127.0.0.1"], (err, stdout, stderr) => {
      resolve({ out: `${stdout}${stderr}`, code: err ? (typeof err.code === "number" ? err.code : 1) : 0 });
    });
  });
}
