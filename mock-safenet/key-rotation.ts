import { eq } from "drizzle-orm";
import { pinPepper, type SimDb } from "./db";
import { meta } from "./db/schema";
import { createKeyring, KeyError, sealPepper } from "./keys";

// Re-seals everything the master key protects under a new one, in one transaction: token seeds
// (AAD: the serial), the mail sink's sealed bodies (AAD: the message id), the PIN pepper, and the
// key-check record. Either all of it moves to the new key or none does.

export interface RotationResult {
  seeds: number;
  mails: number;
}

export function rotateMasterKey(db: SimDb, oldMaster: Buffer, newMaster: Buffer): RotationResult {
  const before = createKeyring(oldMaster);
  const after = createKeyring(newMaster);
  const client = db.$client;
  const result = client.transaction((): RotationResult => {
    const check = db.select().from(meta).where(eq(meta.key, "key_check")).get();
    if (check && check.value !== before.keyCheck()) {
      throw new KeyError("The current master key does not match this database; nothing was changed.");
    }
    const pepper = pinPepper(db, oldMaster);
    const tokens = client.prepare("SELECT id, serial, seed_sealed AS sealed FROM tokens").all() as { id: number; serial: string; sealed: Buffer }[];
    const reseal = client.prepare("UPDATE tokens SET seed_sealed = ? WHERE id = ?");
    for (const t of tokens) reseal.run(after.seal(before.open(t.sealed, t.serial), t.serial), t.id);
    const mails = client.prepare("SELECT id, sealed FROM mail_messages").all() as { id: string; sealed: Buffer }[];
    const resealMail = client.prepare("UPDATE mail_messages SET sealed = ? WHERE id = ?");
    for (const m of mails) resealMail.run(after.sealMail(before.openMail(m.sealed, m.id), m.id), m.id);
    const upsert = client.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert.run("pin_pepper", sealPepper(newMaster, pepper).toString("base64"));
    upsert.run("key_check", after.keyCheck());
    return { seeds: tokens.length, mails: mails.length };
  })();
  // The old ciphertexts stay readable in free pages and the WAL until these two run.
  client.pragma("wal_checkpoint(TRUNCATE)");
  client.exec("VACUUM");
  client.pragma("wal_checkpoint(TRUNCATE)");
  return result;
}
