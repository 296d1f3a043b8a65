import { randomBytes } from "node:crypto";
import { writePskc } from "../lib/pskc";

// A PSKC file with `count` HOTP key packages under one password, for import tests and benchmarks:
// one package written by writePskc, repeated with distinct serials (same sealed secret and ValueMAC).

export function pskcBatch(opts: { count: number; iterations?: number; password?: string; prefix?: string }): { xml: string; serials: string[] } {
  const password = opts.password ?? "Batch-Passw0rd";
  const prefix = opts.prefix ?? randomBytes(4).toString("hex").toUpperCase();
  const one = writePskc({ serial: "SERIALPLACEHOLDER", algorithm: "hotp", digits: 6, secret: randomBytes(20), password, iterations: opts.iterations ?? 1000 });
  const start = one.indexOf("  <pskc:KeyPackage>");
  const end = one.indexOf("</pskc:KeyPackage>") + "</pskc:KeyPackage>\n".length;
  const pkg = one.slice(start, end);
  const serials = Array.from({ length: opts.count }, (_, i) => `${prefix}${String(i).padStart(8, "0")}`);
  const xml = one.slice(0, start) + serials.map((s) => pkg.replaceAll("SERIALPLACEHOLDER", s)).join("") + one.slice(end);
  return { xml, serials };
}
