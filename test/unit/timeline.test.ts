import { describe, expect, it } from "vitest";
import { bucketIndex, bucketLabel, bucketSpans, chartRange, HOUR, hourOf, niceCeiling, planBuckets, wholeHours } from "../../lib/events/chart";
import { csvCell, csvLine, csvStream, CSV_COLUMNS, eventCsvLine, exportFilename } from "../../lib/events/csv";
import { decodeCursor, encodeCursor } from "../../lib/events/cursor";
import { parseTimelineFilters, parseUtcDateTime, timelineQuery, DEFAULT_PAGE_SIZE } from "../../lib/events/filters";
import { detailSummary, formatUtc } from "../../lib/events/format";
import { kindOfSafeNetType } from "../../lib/events/kinds";
import type { TimelineRecord } from "../../lib/events/record";
import { fromSafeNetEvent } from "../../lib/events/safenet";

const DAY = 24 * HOUR;
const T = Date.UTC(2026, 10, 28, 14, 30);

describe("kindOfSafeNetType", () => {
  it.each([
    ["auth", "validation"],
    ["token.provisioned", "token"],
    ["token.suspend", "token"],
    ["token.import", "token"],
    ["directory.authenticate", "directory"],
    ["user.created", "directory"],
    ["account.deleted", "directory"],
    ["policy.changed", "policy"],
    ["something.new", "other"],
  ])("%s → %s", (type, kind) => expect(kindOfSafeNetType(type)).toBe(kind));
});

describe("fromSafeNetEvent", () => {
  const base = { id: 7, at: "2026-11-28T14:30:00.123Z", type: "auth", user: "Alice@Corp.Local", serial: "ABCD", result: "failure", code: 0, reason: "wrong_otp", clientIp: "10.0.0.1", detail: { message: "x" } };

  it("keeps the simulator's id, parses the time and maps the kind", () => {
    expect(fromSafeNetEvent(base, 0)).toEqual({
      remoteId: 7, at: Date.UTC(2026, 10, 28, 14, 30, 0, 123), type: "auth", kind: "validation", user: "alice@corp.local",
      serial: "ABCD", result: "failure", code: 0, reason: "wrong_otp", clientIp: "10.0.0.1", detail: '{"message":"x"}',
    });
  });

  it("files an unparsable time at the moment it arrived, and an unknown result as information", () => {
    const row = fromSafeNetEvent({ ...base, at: "yesterday", result: "weird", detail: null, user: null }, 1234);
    expect(row).toMatchObject({ at: 1234, result: "info", detail: null, user: null });
  });
});

describe("cursor", () => {
  it("round-trips (at, id)", () => {
    const c = { at: T, id: 123_456 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it.each(["", "not a cursor!", Buffer.from("1.2.3").toString("base64url"), Buffer.from("-1.2").toString("base64url"), "A".repeat(100)])(
    "rejects %j",
    (raw) => expect(decodeCursor(raw)).toBeNull(),
  );
});

describe("parseUtcDateTime", () => {
  it("reads datetime-local values as UTC, with the span of their precision", () => {
    expect(parseUtcDateTime("2026-11-28T14:30")).toEqual({ start: T, span: 60_000 });
    expect(parseUtcDateTime("2026-11-28T14:30:05")).toEqual({ start: T + 5_000, span: 1_000 });
    expect(parseUtcDateTime("2026-11-28T14:30:05.5")).toEqual({ start: T + 5_500, span: 1 });
  });

  it.each(["2026-02-30T10:00", "2026-11-28T24:00", "2026-11-28 14:30", "2026-11-28", "yesterday", "2026-13-01T00:00"])("rejects %j", (v) =>
    expect(parseUtcDateTime(v)).toBeNull(),
  );
});

describe("parseTimelineFilters", () => {
  it("turns the URL's fields into filters: user lower-cased, To covering its whole minute", () => {
    const r = parseTimelineFilters({ user: " Alice@Corp.Local ", kind: "validation", result: "failure", from: "2026-11-28T14:30", to: "2026-11-28T15:00" });
    expect(r.ok && r.page).toEqual({
      filters: { user: "alice@corp.local", kind: "validation", result: "failure", from: T, to: T + 31 * 60_000 },
      cursor: undefined,
      limit: DEFAULT_PAGE_SIZE,
    });
  });

  it("treats empty fields as no filter and takes the first of repeated ones", () => {
    const r = parseTimelineFilters(new URLSearchParams("user=&kind=&result=success&result=failure&from=&to="));
    expect(r.ok && r.page.filters).toEqual({ result: "success" });
  });

  it("reads a cursor and a page size, and ignores garbled ones", () => {
    const cursor = encodeCursor({ at: T, id: 9 });
    expect(parseTimelineFilters({ cursor, limit: "5" })).toMatchObject({ ok: true, page: { cursor: { at: T, id: 9 }, limit: 5 } });
    expect(parseTimelineFilters({ cursor: "zzz", limit: "100000" })).toMatchObject({ ok: true, page: { cursor: undefined, limit: DEFAULT_PAGE_SIZE } });
  });

  it("puts an error next to an invalid date and keeps what was typed", () => {
    const r = parseTimelineFilters({ from: "2026-02-30T10:00", user: "bob@corp.local" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors.from).toMatch(/Enter a date and time in UTC/);
    expect(r.values).toMatchObject({ from: "2026-02-30T10:00", user: "bob@corp.local" });
  });

  it("puts an error next to To when the range ends before it starts, but accepts one minute", () => {
    const r = parseTimelineFilters({ from: "2026-11-28T15:00", to: "2026-11-28T14:00" });
    expect(!r.ok && r.fieldErrors).toEqual({ to: expect.stringMatching(/before its start/) });
    expect(parseTimelineFilters({ from: "2026-11-28T15:00", to: "2026-11-28T15:00" }).ok).toBe(true);
  });

  it("refuses a kind or result not on the lists", () => {
    const r = parseTimelineFilters({ kind: "nope", result: "maybe" });
    expect(!r.ok && Object.keys(r.fieldErrors).sort()).toEqual(["kind", "result"]);
  });
});

describe("timelineQuery", () => {
  it("leaves empty fields out and adds extras", () => {
    expect(timelineQuery({ user: "a@b", kind: "", result: "failure" }, { cursor: "abc" })).toBe("?user=a%40b&result=failure&cursor=abc");
    expect(timelineQuery({ user: "" })).toBe("");
  });
});

describe("CSV", () => {
  it("quotes per RFC 4180 only where needed", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\r\nleave')).toBe('"say ""hi"", then\r\nleave"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(0)).toBe("0");
    expect(csvLine(["a", null, 1])).toBe("a,,1\r\n");
  });

  it.each(["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx"])("prefixes a would-be formula %j with a quote", (v) => {
    expect(csvCell(v).replace(/^"/, "").startsWith("'")).toBe(true);
  });

  it("writes one line per event with the time in ISO UTC", () => {
    const r: TimelineRecord = {
      id: 3, at: T, source: "safenet", remoteId: 9, type: "auth", kind: "validation", actor: null, user: "=evil@corp.local",
      serial: "AB", result: "failure", code: 0, reason: "wrong_otp", clientIp: "10.0.0.1", detail: '{"a":1,"b":"x"}',
    };
    expect(eventCsvLine(r)).toBe(`2026-11-28T14:30:00.000Z,safenet,validation,auth,,'=evil@corp.local,AB,failure,0,wrong_otp,10.0.0.1,"{""a"":1,""b"":""x""}",3,9\r\n`);
  });

  it("names the file after the UTC moment", () => expect(exportFilename(T + 5_123)).toBe("events-20261128T143005Z.csv"));

  it("streams the header, then one batch per read, and stops reading when cancelled", async () => {
    const row = (id: number) => ({ id, at: T, source: "portal", remoteId: null, type: "t", kind: "admin", actor: null, user: null, serial: null, result: "info", code: null, reason: null, clientIp: null, detail: null }) as TimelineRecord;
    let produced = 0;
    async function* batches() {
      for (let b = 0; b < 1_000; b++) (produced++, yield [row(2 * b), row(2 * b + 1)]);
    }
    const reader = csvStream(batches()).getReader();
    const dec = new TextDecoder();
    expect(dec.decode((await reader.read()).value)).toBe(CSV_COLUMNS.join(",") + "\r\n");
    expect(dec.decode((await reader.read()).value).split("\r\n")).toHaveLength(3);
    await reader.cancel();
    expect(produced).toBeLessThan(5);
  });
});

describe("chart buckets", () => {
  it("covers the last 24 hours when no range is chosen, hourly", () => {
    const range = chartRange({}, T);
    expect(range).toEqual({ start: T - DAY, end: T });
    const plan = planBuckets(range);
    expect(plan.size).toBe(HOUR);
    expect(plan.origin).toBe(T - DAY - 30 * 60_000);
    expect(plan.count).toBe(25);
  });

  it.each([
    [HOUR, 5 * 60_000],
    [6 * HOUR, 15 * 60_000],
    [7 * DAY, 6 * HOUR],
    [30 * DAY, DAY],
    [180 * DAY, 7 * DAY],
  ])("a range of %i ms gets buckets of %i ms, at most 40 of them", (span, size) => {
    const start = Date.UTC(2026, 0, 1);
    const plan = planBuckets({ start, end: start + span });
    expect(plan.size).toBe(size);
    expect(plan.count).toBeLessThanOrEqual(40);
  });

  it("keeps even a decade under 40 buckets", () => {
    expect(planBuckets({ start: 0, end: 3650 * DAY }).count).toBeLessThanOrEqual(40);
  });

  it("uses From and To, and runs an open end to now", () => {
    expect(chartRange({ from: T - DAY, to: T }, T + 5 * DAY)).toEqual({ start: T - DAY, end: T });
    expect(chartRange({ from: T - 2 * HOUR }, T)).toEqual({ start: T - 2 * HOUR, end: T });
    expect(chartRange({ to: T }, T + DAY)).toEqual({ start: T - DAY, end: T });
  });

  it("clips the first and last bucket to the range", () => {
    const spans = bucketSpans(planBuckets({ start: T, end: T + 3 * HOUR }));
    expect(spans[0].start).toBe(T);
    expect(spans.at(-1)!.end).toBe(T + 3 * HOUR);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBe(spans[i - 1].end);
  });

  it("rounds the axis up to 1, 2 or 5 × 10^k", () => {
    expect([0, 1, 2, 3, 7, 12, 51, 999].map(niceCeiling)).toEqual([1, 1, 2, 5, 10, 20, 100, 1000]);
  });

  it("labels buckets by time of day, by date from a day up", () => {
    expect(bucketLabel(T, HOUR, false)).toBe("14:30");
    expect(bucketLabel(T, HOUR, true)).toBe("11-28 14:30");
    expect(bucketLabel(Date.UTC(2026, 10, 29), HOUR, false)).toBe("11-29 00:00");
    expect(bucketLabel(T, DAY, false)).toBe("2026-11-28");
  });
});

describe("whole hours of a chart (validation_hours)", () => {
  const T = Date.UTC(2026, 10, 2, 1, 0);
  const MIN = 60_000;

  it("keys an instant by the start of its UTC hour", () => {
    expect(hourOf(T)).toBe(T);
    expect(hourOf(T + 59 * MIN + 59_999)).toBe(T);
    expect(hourOf(T + HOUR)).toBe(T + HOUR);
  });

  it("takes the whole hours inside a range of hourly or longer buckets, leaving the ends under an hour", () => {
    const plan = planBuckets({ start: T + 23 * MIN, end: T + 30 * 24 * HOUR + 23 * MIN });
    expect(wholeHours(plan)).toEqual({ start: T + HOUR, end: T + 30 * 24 * HOUR });
    expect(wholeHours(planBuckets({ start: T, end: T + 24 * HOUR }))).toEqual({ start: T, end: T + 24 * HOUR });
  });

  it("has none for buckets under an hour or a range without a whole hour", () => {
    expect(wholeHours(planBuckets({ start: T + 5 * MIN, end: T + 55 * MIN }))).toBeNull();
    const planned = planBuckets({ start: T + 5 * MIN, end: T + 2 * HOUR + 10 * MIN });
    expect(planned.size % HOUR).not.toBe(0);
    expect(wholeHours(planned)).toBeNull();
  });

  it("finds each instant's bucket, the range's clipped ends included", () => {
    const plan = planBuckets({ start: T + 23 * MIN, end: T + 24 * HOUR + 23 * MIN });
    const spans = bucketSpans(plan);
    for (const at of [plan.start, T + HOUR, T + 5 * HOUR + 1, T + 24 * HOUR, plan.end - 1]) {
      const span = spans[bucketIndex(plan, at)];
      expect(at >= span.start && at < span.end, `${at} in ${JSON.stringify(span)}`).toBe(true);
    }
  });
});

describe("format", () => {
  it("shows times in UTC", () => expect(formatUtc(T + 5_000)).toBe("2026-11-28 14:30:05"));

  it("summarises a detail object on one line and cuts long ones", () => {
    expect(detailSummary('{"otpMode":"event","fields":["email"]}')).toBe('otpMode: event; fields: ["email"]');
    expect(detailSummary(JSON.stringify({ x: "y".repeat(200) }), 20)).toHaveLength(20);
    expect(detailSummary(null)).toBe("");
    expect(detailSummary("not json")).toBe("not json");
  });
});
