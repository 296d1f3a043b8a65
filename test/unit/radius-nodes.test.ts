import { describe, expect, it, vi } from "vitest";
import { canonicalIp, nodeForAddress, parseNodeAddress } from "../../mock-safenet/radius/nodes";
import { DropLog, DuplicateCache, type RadiusDropEvent } from "../../mock-safenet/radius/server-state";

describe("auth node addresses", () => {
  const nodes = [
    { name: "lan", address: "10.0.0.0/8" },
    { name: "gateway", address: "10.1.2.3" },
    { name: "v6", address: "2001:db8::/32" },
    { name: "broken", address: "not an address" },
  ];
  it.each([
    ["10.1.2.3", "gateway"],
    ["10.9.9.9", "lan"],
    ["::ffff:10.9.9.9", "lan"],
    ["2001:db8::5", "v6"],
    ["192.0.2.1", undefined],
    ["2001:db9::1", undefined],
    ["garbage", undefined],
  ])("%s → %s (the most specific block wins; nothing else covers)", (ip, name) => {
    expect(nodeForAddress(nodes, ip)?.name).toBe(name);
  });

  it("takes an IP or a CIDR block, not a range", () => {
    expect(parseNodeAddress("192.0.2.0/24").ok).toBe(true);
    expect(parseNodeAddress("192.0.2.7").ok).toBe(true);
    expect(parseNodeAddress("192.0.2.1-192.0.2.9")).toMatchObject({ ok: false, error: expect.stringMatching(/range/) });
  });

  it("compares addresses in one form", () => {
    expect(canonicalIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(canonicalIp("2001:DB8:0:0::1")).toBe("2001:db8::1");
    expect(canonicalIp("00-14-22-01-23-45")).toBeUndefined();
  });
});

describe("DropLog", () => {
  it("records the first drop per address and reason in a window, then one event carrying how many it folded", async () => {
    let now = 0;
    const record = vi.fn(async (_e: RadiusDropEvent) => {});
    const drops = new DropLog(10_000, record, () => {}, () => now);
    for (let i = 0; i < 5; i++) await drops.drop("192.0.2.1", 1000, "unknown_node");
    await drops.drop("192.0.2.2", 1000, "unknown_node");
    expect(record).toHaveBeenCalledTimes(2);
    now = 10_000;
    await drops.drop("192.0.2.1", 1000, "unknown_node");
    expect(record).toHaveBeenLastCalledWith(expect.objectContaining({ clientIp: "192.0.2.1", detail: expect.objectContaining({ suppressed: 4 }) }));
    expect(drops.counts()).toEqual({ unknown_node: 7 });
  });

  it("a failing event log is logged, never thrown", async () => {
    const log = vi.fn();
    const drops = new DropLog(0, () => Promise.reject(new Error("database is locked")), log);
    await expect(drops.drop("192.0.2.1", 1, "malformed")).resolves.toBeUndefined();
    expect(log).toHaveBeenLastCalledWith(expect.stringContaining("database is locked"));
  });
});

describe("DuplicateCache", () => {
  const raw = Buffer.from("a request");
  it("finds the same octets under the same key within the window only", () => {
    const c = new DuplicateCache(30_000, 10);
    const e = c.start("k", raw, 0);
    expect(c.find("k", raw, 29_999)).toBe(e);
    expect(c.find("k", Buffer.from("another"), 1)).toBeUndefined();
    expect(c.find("other", raw, 1)).toBeUndefined();
    expect(c.find("k", raw, 30_000)).toBeUndefined();
  });

  it("holds at most its capacity, dropping the oldest", () => {
    const c = new DuplicateCache(30_000, 3);
    for (let i = 0; i < 5; i++) c.start(`k${i}`, raw, i);
    expect(c.find("k0", raw, 5)).toBeUndefined();
    expect(c.find("k1", raw, 5)).toBeUndefined();
    expect(c.find("k4", raw, 5)).toBeDefined();
  });
});
