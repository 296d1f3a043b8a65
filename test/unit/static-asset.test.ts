import { describe, expect, it } from "vitest";
import { pickEncoding, staticAssetPath } from "../../lib/http/static-asset";

describe("staticAssetPath", () => {
  const dir = "/srv/portal/.next/static";
  it("maps a build chunk's URL to its file, query left off", () => {
    expect(staticAssetPath(dir, "/_next/static/chunks/abc.js?dpl=1")).toBe("/srv/portal/.next/static/chunks/abc.js");
    expect(staticAssetPath(dir, "/_next/static/chunks/x.css")).toBe("/srv/portal/.next/static/chunks/x.css");
  });
  it("refuses anything outside the static directory, however it is spelled", () => {
    expect(staticAssetPath(dir, "/_next/static/../server/app.js")).toBeNull();
    expect(staticAssetPath(dir, "/_next/static/%2e%2e/%2e%2e/secret.js")).toBeNull();
    expect(staticAssetPath(dir, "/_next/static/chunks/a.js%00.js")).toBeNull();
    expect(staticAssetPath(dir, "/_next/static/%E0%A4%A.js")).toBeNull();
  });
  it("leaves other URLs and other file types to Next", () => {
    expect(staticAssetPath(dir, "/login")).toBeNull();
    expect(staticAssetPath(dir, "/_next/static/media/font.woff2")).toBeNull();
    expect(staticAssetPath(dir, "/_next/static/chunks/a.js.map")).toBeNull();
  });
});

describe("pickEncoding", () => {
  it("prefers brotli, then gzip, as the client allows", () => {
    expect(pickEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(pickEncoding("gzip, deflate")).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(pickEncoding("*")).toBe("br");
  });
  it("gives nothing when the client takes no compression", () => {
    expect(pickEncoding(undefined)).toBeNull();
    expect(pickEncoding("identity")).toBeNull();
    expect(pickEncoding("gzip;q=0")).toBeNull();
  });
});
