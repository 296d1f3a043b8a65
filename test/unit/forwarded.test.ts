import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClient, type TrustedProxies } from "../../lib/net/forwarded";
import { parsePortalEnv } from "../../lib/runtime/env";

function proxies(text: string): TrustedProxies {
  const r = parseTrustedProxies(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const lb = proxies("10.0.0.0/8, 2001:db8:1::/48, 192.0.2.7");

describe("the client address behind proxies", () => {
  it.each([
    ["an untrusted peer's spoofed X-Forwarded-For is ignored", "203.0.113.9", "1.2.3.4", "203.0.113.9"],
    ["trusting none: a direct request from localhost stays localhost", "127.0.0.1", "6.6.6.6", "127.0.0.1"],
    ["a trusted peer: the right-most entry", "10.1.1.1", "198.51.100.5", "198.51.100.5"],
    ["a trusted peer: spoofed entries left of the real client are ignored", "10.1.1.1", "6.6.6.6, 198.51.100.5", "198.51.100.5"],
    ["a chain of trusted proxies is skipped", "10.1.1.1", "6.6.6.6, 198.51.100.5, 192.0.2.7, 10.2.2.2", "198.51.100.5"],
    ["every hop trusted: the left-most", "10.1.1.1", "10.9.9.9, 10.8.8.8", "10.9.9.9"],
    ["a trusted peer without the header is the client", "10.1.1.1", undefined, "10.1.1.1"],
    ["IPv6 peer and client, canonicalised", "2001:db8:1::1", "2001:DB8:FFFF:0:0:0:0:1", "2001:db8:ffff::1"],
    ["bracketed IPv6 with a port", "2001:db8:1::1", "[2001:db8:ffff::1]:443", "2001:db8:ffff::1"],
    ["IPv4 with a port", "10.1.1.1", "198.51.100.5:51234", "198.51.100.5"],
    ["IPv4-mapped peer matches an IPv4 rule", "::ffff:10.1.1.1", "198.51.100.5", "198.51.100.5"],
    ["IPv4-mapped untrusted peer is shown as IPv4", "::ffff:127.0.0.1", "1.2.3.4", "127.0.0.1"],
    ["IPv4-mapped entry in the header", "10.1.1.1", "::ffff:198.51.100.5", "198.51.100.5"],
    ["garbage right of the client: the last readable hop", "10.1.1.1", "198.51.100.5, not-an-ip", "10.1.1.1"],
    ["garbage left of the client is never reached", "10.1.1.1", "<script>, 198.51.100.5", "198.51.100.5"],
    ["empty entries are skipped", "10.1.1.1", " , 198.51.100.5, ", "198.51.100.5"],
    ["a zone id is not an address", "10.1.1.1", "fe80::1%eth0", "10.1.1.1"],
  ])("%s", (_name, peer, forwardedFor, expected) => {
    expect(resolveClient({ peer, forwardedFor }, lb).address).toBe(expected);
  });

  it("answers unknown when the server did not name the peer, whatever the headers say", () => {
    expect(resolveClient({ peer: undefined, forwardedFor: "1.2.3.4", forwardedProto: "https" }, lb)).toEqual({ address: "unknown", proto: null });
    expect(resolveClient({ peer: "garbage", forwardedFor: "1.2.3.4" }, lb).address).toBe("unknown");
  });

  it("believes X-Forwarded-Proto only from a trusted peer", () => {
    expect(resolveClient({ peer: "203.0.113.9", forwardedProto: "https" }, lb).proto).toBeNull();
    expect(resolveClient({ peer: "10.1.1.1", forwardedProto: "https" }, lb).proto).toBe("https");
    expect(resolveClient({ peer: "10.1.1.1", forwardedProto: "HTTP" }, lb).proto).toBe("http");
    expect(resolveClient({ peer: "10.1.1.1", forwardedProto: "gopher" }, lb).proto).toBeNull();
  });

  it("trusts nobody by default", () => {
    expect(resolveClient({ peer: "10.1.1.1", forwardedFor: "1.2.3.4", forwardedProto: "https" }, proxies(""))).toEqual({ address: "10.1.1.1", proto: null });
  });
});

describe("TRUSTED_PROXIES", () => {
  it("accepts addresses and CIDR blocks of both families", () => {
    expect(proxies("127.0.0.1, ::1, 10.0.0.0/8, fd00::/8").map((r) => r.normalized)).toEqual(["127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8"]);
  });

  it.each(["10.0.0.0/33", "proxy.example", "10.0.0.1-10.0.0.9", "10.0.0.1/8"])("refuses %s with a sentence", (text) => {
    const r = parseTrustedProxies(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/\.$|\?$/);
  });
});

describe("the portal's environment", () => {
  const base = { NODE_ENV: "test", SAFENET_TMS_API_KEY: "k", SAFENET_AGENT_KEY: "a", NEXTAUTH_SECRET: "s" } as const;

  it("trusts no proxy when TRUSTED_PROXIES is unset or empty", () => {
    expect(parsePortalEnv(base).TRUSTED_PROXIES).toEqual([]);
    expect(parsePortalEnv({ ...base, TRUSTED_PROXIES: "" }).TRUSTED_PROXIES).toEqual([]);
  });

  it("refuses a malformed TRUSTED_PROXIES with a message naming it", () => {
    expect(() => parsePortalEnv({ ...base, TRUSTED_PROXIES: "10.0.0.1, nginx" })).toThrow(/TRUSTED_PROXIES is not a comma-separated list.*"nginx"/);
  });
});
