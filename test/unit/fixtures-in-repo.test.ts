import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../fixtures";

const root = path.resolve(__dirname, "../..");
const scanned = ["test", "e2e", "lib", "scripts", "mock-safenet", "bench"];
// Built, not written, so that this file passes its own check and a plain grep of the tree.
const needle = ["shared", "fixtures"].join("/");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(full);
    return /\.(ts|tsx|mts|js|mjs|json)$/.test(entry.name) ? [full] : [];
  });
}

describe("tests stand on the repository alone", () => {
  it("keeps the fixtures inside the repository", () => {
    expect(FIXTURES.startsWith(root + path.sep)).toBe(true);
    for (const name of ["otp-vectors.json", "rfc6030-figure7.pskc.xml"]) {
      expect(fs.existsSync(path.join(FIXTURES, name)), name).toBe(true);
    }
  });

  it("names the shared fixtures folder only in comments, as the reference the copies came from", () => {
    const readers = scanned.flatMap((dir) => sources(path.join(root, dir))).flatMap((file) =>
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ where: `${path.relative(root, file)}:${i + 1}`, line: line.trim() }))
        .filter(({ line }) => line.includes(needle) && !/^(\/\/|\*|\/\*|#)/.test(line)),
    );
    expect(readers.map((r) => r.where)).toEqual([]);
  });
});
