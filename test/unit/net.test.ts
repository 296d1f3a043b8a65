import { describe, expect, it } from "vitest";
import { formatIp, parseIp, parseIpRule, unmapIpv4 } from "../../lib/net/ip";
import { maskMac, parseMac, parseMacRule } from "../../lib/net/mac";

const ipv4 = (a: number, b: number, c: number, d: number) => BigInt(((a * 256 + b) * 256 + c) * 256 + d);

function parsed(text: string) {
  const r = parseIp(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.value;
}
function rule(text: string) {
  const r = parseIpRule(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.value;
}
const contains = (text: string, addr: string) => {
  const r = rule(text);
  const a = unmapIpv4(parsed(addr));
  return a.version === r.version && a.value >= r.start && a.value <= r.end;
};

describe("parseIp: IPv4", () => {
  it.each([
    ["0.0.0.0", 0n],
    ["192.0.2.1", ipv4(192, 0, 2, 1)],
    ["255.255.255.255", 0xffffffffn],
    ["10.0.0.1", ipv4(10, 0, 0, 1)],
    [" 10.0.0.1 ", ipv4(10, 0, 0, 1)],
  ])("%j → %s", (text, value) => {
    expect(parseIp(text)).toEqual({ ok: true, value: { version: 4, value } });
  });

  it.each([
    ["192.168.01.1", /leading zero.*192\.168\.1\.1/],
    ["010.0.0.1", /leading zero/],
    ["00.0.0.1", /leading zero/],
    ["256.1.1.1", /256/],
    ["1.2.3", /four numbers/],
    ["1.2.3.4.5", /four numbers/],
    ["1.2.3.", /four numbers/],
    ["1..2.3", /four numbers/],
    ["1.2.3.1000", /four numbers/],
    ["abc", /not an IP address/],
    ["-1.2.3.4", /not an IP address/],
    ["", /empty/],
    ["   ", /empty/],
  ])("refuses %j", (text, message) => {
    const r = parseIp(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("parseIp: IPv6 text forms (RFC 4291 §2.2) and RFC 5952 output", () => {
  it.each([
    ["::", "::", 0n],
    ["::1", "::1", 1n],
    ["1::", "1::", 1n << 112n],
    ["0:0:0:0:0:0:0:0", "::", 0n],
    ["0:0:0:0:0:0:0:1", "::1", 1n],
    ["2001:DB8::1", "2001:db8::1", (0x2001_0db8n << 96n) | 1n],
    ["2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329", 0x2001_0db8_0000_0000_0000_ff00_0042_8329n],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", 0x2001_0db8_0000_0000_0001_0000_0000_0001n],
    ["1:0:0:1:0:0:0:1", "1:0:0:1::1", 0x0001_0000_0000_0001_0000_0000_0000_0001n],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", 0x2001_0db8_0000_0001_0001_0001_0001_0001n],
    ["1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0", 0x0001_0000_0001_0000_0001_0000_0001_0000n],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", (1n << 128n) - 1n],
    ["fe80::", "fe80::", 0xfe80n << 112n],
    ["::ffff:192.0.2.1", "::ffff:192.0.2.1", 0xffff_c000_0201n],
    ["::FFFF:c000:201", "::ffff:192.0.2.1", 0xffff_c000_0201n],
    ["0:0:0:0:0:ffff:192.0.2.1", "::ffff:192.0.2.1", 0xffff_c000_0201n],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221", (0x64_ff9bn << 96n) | 0xc000_0221n],
    ["::192.0.2.1", "::c000:201", 0xc000_0201n],
    ["1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", 0x0001_0002_0003_0004_0005_0006_0102_0304n],
  ])("%j → %s", (text, canonical, value) => {
    const ip = parsed(text);
    expect(ip).toEqual({ version: 6, value });
    expect(formatIp(ip)).toBe(canonical);
    expect(parsed(canonical)).toEqual(ip);
  });

  it.each([
    ["fe80::1%eth0", /zone id/],
    ["fe80::1%1", /zone id/],
    ["1::2::3", /more than once/],
    [":::", /more than once/],
    ["1:2:3:4:5:6:7:8:9", /9 groups/],
    ["1:2:3:4:5:6:7", /7 groups/],
    ["1:2:3:4:5:6:7::8", /too many groups/],
    ["1:2:3:4:5:6:7:8::", /too many groups/],
    [":1::", /empty group/],
    ["1::2:", /empty group/],
    ["1:", /empty group/],
    ["12345::", /"12345"/],
    ["g::1", /"g"/],
    ["1.2.3.4::", /"1.2.3.4"/],
    ["::1.2.3.4:5", /"1.2.3.4"/],
    ["::ffff:192.168.01.1", /leading zero/],
    ["::ffff:1.2.3.256", /256/],
    ["[::1]", /square brackets/],
  ])("refuses %j", (text, message) => {
    const r = parseIp(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("unmapIpv4", () => {
  it("turns ::ffff:a.b.c.d into IPv4 and leaves other addresses alone", () => {
    expect(unmapIpv4(parsed("::ffff:10.1.2.3"))).toEqual({ version: 4, value: ipv4(10, 1, 2, 3) });
    expect(unmapIpv4(parsed("::10.1.2.3"))).toEqual(parsed("::10.1.2.3"));
    expect(unmapIpv4(parsed("10.1.2.3"))).toEqual(parsed("10.1.2.3"));
  });
});

describe("parseIpRule", () => {
  it.each([
    ["10.0.0.1", "single", "10.0.0.1"],
    ["2001:DB8:0::1", "single", "2001:db8::1"],
    ["::ffff:10.0.0.1", "single", "10.0.0.1"],
    ["10.0.0.1-10.0.0.9", "range", "10.0.0.1-10.0.0.9"],
    ["10.0.0.1 - 10.0.0.9", "range", "10.0.0.1-10.0.0.9"],
    ["10.0.0.5-10.0.0.5", "range", "10.0.0.5-10.0.0.5"],
    ["2001:db8::1 -2001:db8::ff", "range", "2001:db8::1-2001:db8::ff"],
    ["10.0.0.0/8", "cidr", "10.0.0.0/8"],
    ["10.0.0.0 / 8", "cidr", "10.0.0.0/8"],
    ["0.0.0.0/0", "cidr", "0.0.0.0/0"],
    ["192.0.2.7/32", "cidr", "192.0.2.7/32"],
    ["::/0", "cidr", "::/0"],
    ["2001:0db8::/32", "cidr", "2001:db8::/32"],
    ["2001:db8::2/127", "cidr", "2001:db8::2/127"],
    ["2001:db8::1/128", "cidr", "2001:db8::1/128"],
    ["::ffff:10.0.0.0/104", "cidr", "10.0.0.0/8"],
  ])("%j is a %s rule shown as %s", (text, kind, normalized) => {
    const r = rule(text);
    expect(r.kind).toBe(kind);
    expect(r.normalized).toBe(normalized);
    expect(rule(normalized)).toEqual(r);
  });

  it.each([
    ["0.0.0.0/0", 0n, 0xffffffffn],
    ["192.0.2.7/32", ipv4(192, 0, 2, 7), ipv4(192, 0, 2, 7)],
    ["10.0.0.0/8", ipv4(10, 0, 0, 0), ipv4(10, 255, 255, 255)],
    ["::/0", 0n, (1n << 128n) - 1n],
    ["2001:db8::1/128", (0x2001_0db8n << 96n) | 1n, (0x2001_0db8n << 96n) | 1n],
    ["2001:db8::2/127", (0x2001_0db8n << 96n) | 2n, (0x2001_0db8n << 96n) | 3n],
  ])("%j spans its block exactly", (text, start, end) => {
    expect(rule(text)).toMatchObject({ start, end });
  });

  it.each([
    ["10.0.0.10-10.0.0.20", "10.0.0.10", true],
    ["10.0.0.10-10.0.0.20", "10.0.0.20", true],
    ["10.0.0.10-10.0.0.20", "10.0.0.9", false],
    ["10.0.0.10-10.0.0.20", "10.0.0.21", false],
    ["2001:db8::10-2001:db8::20", "2001:db8::10", true],
    ["2001:db8::10-2001:db8::20", "2001:db8::20", true],
    ["2001:db8::10-2001:db8::20", "2001:db8::f", false],
    ["2001:db8::10-2001:db8::20", "2001:db8::21", false],
    ["192.168.0.0/16", "192.168.0.0", true],
    ["192.168.0.0/16", "192.168.255.255", true],
    ["192.168.0.0/16", "192.167.255.255", false],
    ["192.168.0.0/16", "192.169.0.0", false],
    ["2001:db8::2/127", "2001:db8::1", false],
    ["2001:db8::2/127", "2001:db8::3", true],
    ["2001:db8::2/127", "2001:db8::4", false],
    ["10.0.0.0/8", "::ffff:10.9.9.9", true],
    ["10.0.0.0/8", "::ffff:11.0.0.0", false],
    ["10.0.0.1", "::ffff:10.0.0.1", true],
    ["::ffff:10.0.0.1", "10.0.0.1", true],
  ])("%j contains %s: %s", (text, addr, inside) => {
    expect(contains(text, addr)).toBe(inside);
  });

  it.each([
    ["192.168.1.5/24", "192.168.1.5/24 has host bits set; did you mean 192.168.1.0/24?"],
    ["10.1.2.3/8", "10.1.2.3/8 has host bits set; did you mean 10.0.0.0/8?"],
    ["2001:db8::1/127", "2001:db8::1/127 has host bits set; did you mean 2001:db8::/127?"],
    ["2001:db8:1::/16", "2001:db8:1::/16 has host bits set; did you mean 2001::/16?"],
  ])("refuses %j with a suggestion", (text, error) => {
    expect(parseIpRule(text)).toEqual({ ok: false, error });
  });

  it.each([
    ["1.2.3.4/33", /0 to 32/],
    ["::/129", /0 to 128/],
    ["10.0.0.0/", /0 to 32/],
    ["10.0.0.0/8.0", /0 to 32/],
    ["10.0.0.9-10.0.0.1", /lower address first: 10\.0\.0\.1-10\.0\.0\.9/],
    ["2001:db8::9-2001:db8::1", /lower address first/],
    ["10.0.0.1-::1", /same family/],
    ["10.0.0.1-10.0.0.2-10.0.0.3", /more than one dash/],
    ["10.0.0.1-", /end of the range.*empty/],
    ["-10.0.0.1", /start of the range/],
    ["10.0.0.300", /0 to 255/],
    ["", /empty/],
    ["fe80::1%eth0/64", /zone id/],
  ])("refuses %j", (text, message) => {
    const r = parseIpRule(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("MAC addresses", () => {
  const bytes = [0x00, 0x14, 0x22, 0x01, 0x23, 0x45];
  it.each(["00-14-22-01-23-45", "00:14:22:01:23:45", "0014.2201.2345", "001422012345", "0:14:22:1:23:45", " 00-14-22-01-23-45 "])(
    "%j → 00-14-22-01-23-45",
    (text) => {
      expect(parseMac(text)).toEqual({ ok: true, value: { normalized: "00-14-22-01-23-45", bytes, value: 0x0014_2201_2345 } });
    },
  );

  it.each([
    ["aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF"],
    ["AaBb.CcDd.EeFf", "AA-BB-CC-DD-EE-FF"],
    ["ffffffffffff", "FF-FF-FF-FF-FF-FF"],
  ])("%j in any case → %s", (text, normalized) => {
    const r = parseMac(text);
    expect(r.ok && r.value.normalized).toBe(normalized);
  });

  it.each([
    ["00-14-22-01-23", /5 bytes/],
    ["00-14-22-01-23-45-67", /7 bytes/],
    ["00:14-22:01:23:45", /one separator/],
    ["0014.2201.234", /Cisco form/],
    ["00142201234", /not a MAC address/],
    ["00-14-22-01-23-4G", /"4G"/],
    ["00-14-22-01-23-145", /"145"/],
    ["00-14-22-01-??-??", /wildcard/],
    ["", /empty/],
  ])("parseMac refuses %j", (text, message) => {
    const r = parseMac(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it.each([
    ["00-14-22-01-??-??", "00-14-22-01-??-??", [0, 0x14, 0x22, 1, null, null], 0b111100],
    ["00:14:22:01:??:??", "00-14-22-01-??-??", [0, 0x14, 0x22, 1, null, null], 0b111100],
    ["0014.2201.????", "00-14-22-01-??-??", [0, 0x14, 0x22, 1, null, null], 0b111100],
    ["??-14-22-01-23-45", "??-14-22-01-23-45", [null, 0x14, 0x22, 1, 0x23, 0x45], 0b011111],
    ["aa:??:cc:??:ee:??", "AA-??-CC-??-EE-??", [0xaa, null, 0xcc, null, 0xee, null], 0b101010],
    ["00:14:22:01:23:45", "00-14-22-01-23-45", bytes, 0b111111],
  ])("rule %j → %s", (text, normalized, ruleBytes, mask) => {
    const r = parseMacRule(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ normalized, bytes: ruleBytes, mask });
  });

  it.each([
    ["00-14-22-01-0?-??", /partly wild byte "0\?"/],
    ["00-14-22-01-?-45", /partly wild byte "\?"/],
    ["00-14-22-01-?A-45", /partly wild/],
    ["??-??-??-??-??-??", /match every device/],
    ["00-14-22-01-??", /5 bytes/],
  ])("parseMacRule refuses %j", (text, message) => {
    const r = parseMacRule(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it.each([
    ["00-14-22-01-99-AB", true],
    ["00-14-22-01-00-00", true],
    ["00-14-22-02-23-45", false],
    ["01-14-22-01-23-45", false],
  ])("00-14-22-01-??-?? matches %s: %s", (client, matches) => {
    const r = parseMacRule("00-14-22-01-??-??");
    const c = parseMac(client);
    if (!r.ok || !c.ok) throw new Error("fixture");
    expect(maskMac(c.value.bytes, r.value.mask) === r.value.value).toBe(matches);
  });
});
