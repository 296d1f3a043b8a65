import { sql, type Sql } from "../lib/runtime/sql";
import { SafeNetError } from "./errors";
import { makeEventLog } from "./events";
import type { Sim } from "./sim";
import { PskcError, type PskcLimitName, type PskcLimits } from "../lib/pskc";
import type { SealedKey } from "./pskc-worker";

// PSKC import into the inventory: each key package is added or rejected on its own. The file is read
// (parsed, PBKDF2, per-key MAC and AES) off the event loop by `sim.pskc`; only the inserts run here,
// in one transaction with the import's event, a thousand keys in two INSERTs.

/** What one import may ask of the simulator; a file over any of them is refused before the heavy work. */
export const IMPORT_LIMITS: PskcLimits = { maxChars: 4 * 1024 * 1024, maxPackages: 1000, maxIterations: 1_000_000 };

const PSKC_ERRORS: Record<Exclude<PskcError["code"], "over_limit">, [string, string]> = {
  malformed: ["invalid_pskc", "pskc"],
  unsupported: ["unsupported_pskc", "pskc"],
  wrong_password: ["wrong_password", "password"],
  mac_mismatch: ["pskc_mac_mismatch", "pskc"],
};

const LIMIT_ERRORS: Record<PskcLimitName, [number, string]> = {
  maxChars: [413, "pskc_too_large"],
  maxPackages: [413, "too_many_key_packages"],
  maxIterations: [400, "too_many_iterations"],
};

function toSafeNetError(err: PskcError): SafeNetError {
  if (err.code === "over_limit" && err.limit) {
    const [status, code] = LIMIT_ERRORS[err.limit.name];
    return new SafeNetError(status, code, err.message, { pskc: "over_limit", limit: err.limit.name, max: err.limit.max });
  }
  const [code, field] = PSKC_ERRORS[err.code as keyof typeof PSKC_ERRORS] ?? PSKC_ERRORS.malformed;
  return new SafeNetError(400, code, err.message, { [field]: err.code });
}

export async function importPskc(sim: Sim, xml: string, password: string) {
  let keys: SealedKey[];
  try {
    if (xml.length > IMPORT_LIMITS.maxChars) {
      throw new PskcError("over_limit", `The seed file has ${xml.length} characters; at most ${IMPORT_LIMITS.maxChars} are accepted here. Split it into smaller files.`, { name: "maxChars", max: IMPORT_LIMITS.maxChars });
    }
    keys = await sim.pskc.read(xml, password);
  } catch (err) {
    if (!(err instanceof PskcError)) throw err;
    throw toSafeNetError(err);
  }
  const now = Date.now();
  return sim.db.transaction(async (tx) => {
    // Built in here: a PostgreSQL transaction may run again after a serialization failure.
    const outcomes: { serial: string; reason?: string; key?: SealedKey }[] = [];
    const known = await existingSerials(tx, keys.map((k) => k.serial).filter(Boolean));
    const seen = new Set<string>();
    for (const key of keys) {
      // Upper-cased by the reader: serials are looked up case-insensitively, as provisioned ones are.
      const serial = key.serial;
      if (!serial) {
        outcomes.push({ serial: "", reason: "The key package has no DeviceInfo/SerialNo." });
      } else if (seen.has(serial) || known.has(serial)) {
        outcomes.push({ serial, reason: EXISTS });
      } else if (![6, 7, 8].includes(key.digits)) {
        outcomes.push({ serial, reason: `A ${key.digits}-digit response is not supported; use 6 or 8 digits.` });
      } else {
        outcomes.push({ serial, key });
      }
      if (serial) seen.add(serial);
    }
    const fresh = outcomes.filter((o) => o.key);
    const inserted = new Set<string>();
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const rows = fresh.slice(i, i + CHUNK).map(({ serial, key }) => {
        const mode = key!.algorithm === "totp" ? "time" : "event";
        return sql`(${serial}, 'Hardware', ${mode}, ${key!.digits}, ${key!.timeStepSeconds ?? 30}, 'SHA1', 'Inventory', ${key!.seedSealed}, ${key!.counter ?? 0}, 'imported', ${now})`;
      });
      const back = await tx.all<{ serial: string }>(
        sql`INSERT INTO tokens (serial, type, otp_mode, otp_length, time_step_seconds, algorithm, state, seed_sealed, counter, source, created_at)
            VALUES ${sql.join(rows)} ON CONFLICT DO NOTHING RETURNING serial`,
      );
      for (const r of back) inserted.add(r.serial);
    }
    // A serial another request (or instance) added since the look-up above is refused like any existing one.
    const added = fresh.filter((o) => inserted.has(o.serial)).map((o) => o.serial);
    const rejected = outcomes.filter((o) => !inserted.has(o.serial) || !o.key).map((o) => ({ serial: o.serial, reason: o.reason ?? EXISTS }));
    await makeEventLog(tx).record({ type: "token.import", result: rejected.length ? "failure" : "success", detail: { added, rejected } });
    return { added, rejected };
  });
}

const EXISTS = "A token with this serial already exists.";

/** Rows per INSERT or IN list. */
const CHUNK = 500;

async function existingSerials(db: Sql, serials: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < serials.length; i += CHUNK) {
    const rows = await db.all<{ serial: string }>(sql`SELECT serial FROM tokens WHERE serial IN (${sql.join(serials.slice(i, i + CHUNK))})`);
    for (const r of rows) out.add(r.serial);
  }
  return out;
}
