import { tokens } from "./db/schema";
import { ApiError } from "./errors";
import type { Sim } from "./sim";
import { PskcError, readPskc } from "../lib/pskc";

// PSKC import into the inventory: each key package is added or rejected on its own.

const PSKC_ERRORS: Record<PskcError["code"], [string, string]> = {
  malformed: ["invalid_pskc", "pskc"],
  unsupported: ["unsupported_pskc", "pskc"],
  wrong_password: ["wrong_password", "password"],
  mac_mismatch: ["pskc_mac_mismatch", "pskc"],
};

export function importPskc(sim: Sim, xml: string, password: string) {
  let keys;
  try {
    keys = readPskc(xml, password);
  } catch (err) {
    if (!(err instanceof PskcError)) throw err;
    const [code, field] = PSKC_ERRORS[err.code];
    throw new ApiError(400, code, err.message, { [field]: err.code });
  }
  const added: string[] = [];
  const rejected: { serial: string; reason: string }[] = [];
  sim.db.transaction((tx) => {
    for (const key of keys) {
      // Serials are looked up case-insensitively, so they are kept upper-case as provisioned ones are.
      const serial = key.serial.trim().toUpperCase();
      if (!serial) {
        rejected.push({ serial: "", reason: "The key package has no DeviceInfo/SerialNo." });
      } else if (sim.store.exists(serial) || added.includes(serial)) {
        rejected.push({ serial, reason: "A token with this serial already exists." });
      } else if (![6, 7, 8].includes(key.digits)) {
        rejected.push({ serial, reason: `A ${key.digits}-digit response is not supported; use 6 or 8 digits.` });
      } else {
        tx.insert(tokens)
          .values({
            serial,
            type: "Hardware",
            otpMode: key.algorithm === "totp" ? "time" : "event",
            otpLength: key.digits,
            timeStepSeconds: key.timeStepSeconds ?? 30,
            algorithm: "SHA1",
            state: "Inventory",
            seedSealed: sim.keys.seal(Buffer.from(key.secret), serial),
            counter: key.counter ?? 0,
            source: "imported",
            createdAt: Date.now(),
          })
          .run();
        added.push(serial);
      }
    }
    sim.events.record({ type: "token.import", result: rejected.length ? "failure" : "success", detail: { added, rejected } });
  });
  return { added, rejected };
}
