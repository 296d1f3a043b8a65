import net from "node:net";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import tls from "node:tls";
import { selfSignedCertificate } from "../../../e2e/support/tls-proxy";
import type { Slapd } from "../../support/slapd";

// Helpers for the LDAP repository tests: the create body for a test slapd, and TCP endpoints that
// play a directory gone wrong (one that records and never answers, one that forwards to slapd until
// told to go silent).

export const repositoryBody = (ldap: Slapd, name: string) => ({
  name,
  kind: "LDAP",
  url: ldap.url,
  bindDn: ldap.bindDn,
  bindPassword: ldap.bindPassword,
  baseDn: ldap.baseDn,
  userFilter: ldap.userFilter,
});

export interface Listener {
  url: string;
  /** Connections accepted so far. */
  connections: () => number;
  /** Every byte any connection sent. */
  received: () => Buffer;
  close: () => Promise<void>;
}

/** Accepts connections on 127.0.0.1, records what arrives, never answers: a silent or hostile server. */
export async function silentListener(): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const chunks: Buffer[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ldap://127.0.0.1:${port}`,
    connections: () => connections,
    received: () => Buffer.concat(chunks),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Proxy {
  url: string;
  /** From now on, new connections are accepted and never answered. */
  goSilent: () => void;
  forward: () => void;
  close: () => Promise<void>;
}

/** Forwards TCP to `target` (host:port), or goes silent on demand: a directory that stops answering. */
export async function switchableProxy(targetPort: number): Promise<Proxy> {
  let silent = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (silent) return;
    const upstream = net.connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("error", () => socket.destroy());
    upstream.on("close", () => sockets.delete(upstream));
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ldap://127.0.0.1:${port}`,
    goSilent: () => (silent = true),
    forward: () => (silent = false),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** ldaps:// in front of a plain LDAP port, with a self-signed certificate nobody trusts. */
export async function untrustedTlsFront(targetPort: number): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ldaps-cert-"));
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(selfSignedCertificate(dir), (socket) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ldaps://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
