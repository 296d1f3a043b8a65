import { SafeNetError } from "./errors";
import type { Sim } from "./sim";
import { PskcError, type PskcLimitName, type PskcLimits } from "../lib/pskc";
import type { SealedKey } from "./pskc-worker";

// PSKC import into the inventory: each key package is added or rejected on its own. The file is read
// (parsed, PBKDF2, per-key MAC and AES) off the event loop by `sim.pskc`; only the inserts run here.

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
  const added: string[] = [];
  const rejected: { serial: string; reason: string }[] = [];
  const seen = new Set<string>();
  // Raw prepared statements: this loop runs on the event loop, up to IMPORT_LIMITS.maxPackages times.
  const client = sim.db.$client;
  const exists = client.prepare("SELECT 1 FROM tokens WHERE serial = ?").pluck();
  const insert = client.prepare(
    `INSERT INTO tokens (serial, type, otp_mode, otp_length, time_step_seconds, algorithm, state, seed_sealed, counter, source, created_at)
     VALUES (?, 'Hardware', ?, ?, ?, 'SHA1', 'Inventory', ?, ?, 'imported', ?)`,
  );
  client.transaction(() => {
    for (const key of keys) {
      // Upper-cased by the reader: serials are looked up case-insensitively, as provisioned ones are.
      const serial = key.serial;
      if (!serial) {
        rejected.push({ serial: "", reason: "The key package has no DeviceInfo/SerialNo." });
      } else if (seen.has(serial) || exists.get(serial)) {
        rejected.push({ serial, reason: "A token with this serial already exists." });
      } else if (![6, 7, 8].includes(key.digits)) {
        rejected.push({ serial, reason: `A ${key.digits}-digit response is not supported; use 6 or 8 digits.` });
      } else {
        const mode = key.algorithm === "totp" ? "time" : "event";
        insert.run(serial, mode, key.digits, key.timeStepSeconds ?? 30, key.seedSealed, key.counter ?? 0, Date.now());
        added.push(serial);
      }
      if (serial) seen.add(serial);
    }
    sim.events.record({ type: "token.import", result: rejected.length ? "failure" : "success", detail: { added, rejected } });
  })();
  return { added, rejected };
}
