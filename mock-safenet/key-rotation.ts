import { sql, type Sql } from "../lib/runtime/sql";
import { pinPepper } from "./db";
import { createKeyring, KeyError, sealPepper } from "./keys";
import { openBindPassword, sealBindPassword } from "./ldap/settings";

// Re-seals everything the master key protects under a new one, in one transaction: token seeds
// (AAD: the serial), the mail sink's sealed bodies (AAD: the message id), LDAP repositories' bind
// passwords (AAD: the repository's name), the PIN pepper, and the key-check record. Either all of it
// moves to the new key or none does.

export const ROTATION_LOCK = "safenet-key-rotation";

export interface RotationResult {
  seeds: number;
  mails: number;
}

export async function rotateMasterKey(db: Sql, oldMaster: Buffer, newMaster: Buffer): Promise<RotationResult> {
  const before = createKeyring(oldMaster);
  const after = createKeyring(newMaster);
  const result = await db.transaction(async (tx): Promise<RotationResult> => {
    // Two rotations of one PostgreSQL database take turns; the second then finds the key changed and stops.
    await tx.lock(ROTATION_LOCK);
    const check = await tx.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = 'key_check'`);
    if (check && check.value !== before.keyCheck()) {
      throw new KeyError("The current master key does not match this database; nothing was changed.");
    }
    const pepper = await pinPepper(tx, oldMaster);
    const tokens = await tx.all<{ id: number; serial: string; sealed: Buffer }>(sql`SELECT id, serial, seed_sealed AS sealed FROM tokens${tx.forUpdate}`);
    for (const t of tokens) {
      await tx.run(sql`UPDATE tokens SET seed_sealed = ${after.seal(before.open(t.sealed, t.serial), t.serial)} WHERE id = ${t.id}`);
    }
    const mails = await tx.all<{ id: string; sealed: Buffer }>(sql`SELECT id, sealed FROM mail_messages${tx.forUpdate}`);
    for (const m of mails) {
      await tx.run(sql`UPDATE mail_messages SET sealed = ${after.sealMail(before.openMail(m.sealed, m.id), m.id)} WHERE id = ${m.id}`);
    }
    const binds = await tx.all<{ id: number; name: string; sealed: Buffer }>(
      sql`SELECT id, name, bind_password_sealed AS sealed FROM repositories WHERE bind_password_sealed IS NOT NULL${tx.forUpdate}`,
    );
    for (const r of binds) {
      const resealed = sealBindPassword(after, r.name, openBindPassword(before, r.name, r.sealed));
      await tx.run(sql`UPDATE repositories SET bind_password_sealed = ${resealed} WHERE id = ${r.id}`);
    }
    for (const [key, value] of [
      ["pin_pepper", sealPepper(newMaster, pepper).toString("base64")],
      ["key_check", after.keyCheck()],
    ]) {
      await tx.run(sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    }
    return { seeds: tokens.length, mails: mails.length };
  });
  // The old ciphertexts stay readable in free pages and the WAL (SQLite) or in dead row versions
  // (PostgreSQL) until these run. PostgreSQL's own WAL and backups are the operator's to manage.
  if (db.dialect === "sqlite") {
    await db.exec("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);");
  } else {
    await db.exec("VACUUM tokens, mail_messages, meta, repositories");
  }
  return result;
}
