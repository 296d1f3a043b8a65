import { env } from "@/lib/runtime/env";
import { PEER_HEADER, resolveClient, type ClientInfo } from "@/lib/net/forwarded";

type HeaderSource = Record<string, string | string[] | undefined> | Headers;

// The peer comes from scripts/portal-server.ts, which overwrites any client's copy of the header;
// under `next dev` it is absent, so nothing forwarded is believed and the address is "unknown".
export function clientInfo(headers: HeaderSource): ClientInfo {
  const get = (name: string) => {
    const v = headers instanceof Headers ? headers.get(name) : headers[name];
    return (Array.isArray(v) ? v.join(",") : v) ?? undefined;
  };
  return resolveClient(
    { peer: get(PEER_HEADER), forwardedFor: get("x-forwarded-for"), forwardedProto: get("x-forwarded-proto") },
    env().TRUSTED_PROXIES,
  );
}

/** The client address of a request: the socket's peer unless that peer is in TRUSTED_PROXIES. */
export function clientAddress(headers: HeaderSource): string {
  return clientInfo(headers).address;
}
