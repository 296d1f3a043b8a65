import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { describeDatabase, openDatabase } from "../mock-safenet/db";
import { lockInstance } from "../mock-safenet/data-dir-lock";
import { isPostgresUrl } from "../lib/runtime/sql";
import { rotateMasterKey } from "../mock-safenet/key-rotation";
import { loadMasterKey, MASTER_KEY_FILE } from "../mock-safenet/keys";

// `npm run safenet:rotate-key`: a new seed master key for the simulator's database. Refuses while
// a simulator runs on it: on SQLite the simulator holds DATA_DIR/safenet.lock; on PostgreSQL
// (SAFENET_DATABASE_URL) every simulator holds a shared advisory lock that the rotation must take
// exclusively, so it refuses while any instance, on any host, is connected, and two rotations never
// overlap. Stop every simulator first; afterwards give each the new key. The new key is written to
// DATA_DIR/master.key.new before the database changes, so a crash never loses it; then it replaces
// the old one where that lived (.env or DATA_DIR/master.key), the old kept beside it as a 0600 backup.

const root = process.cwd();
const envFile = path.join(root, ".env");
const fromFile = fs.existsSync(envFile) ? parseEnv(fs.readFileSync(envFile, "utf8")) : {};
const dataDir = path.resolve(root, process.env.DATA_DIR || fromFile.DATA_DIR || "data");
const inEnvironment = process.env.SAFENET_MASTER_KEY;
const inDotEnv = fromFile.SAFENET_MASTER_KEY;
const databaseUrl = (process.env.SAFENET_DATABASE_URL ?? fromFile.SAFENET_DATABASE_URL)?.trim() || undefined;
const source: "environment" | ".env" | "file" =
  inEnvironment && inEnvironment !== inDotEnv ? "environment" : inDotEnv ? ".env" : "file";
const stamp = new Date().toISOString().replace(/[:.]/g, "-");

function writePrivate(file: string, text: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temp, text, { mode: 0o600, flag: "wx" });
  fs.renameSync(temp, file);
}

function backup(file: string): string {
  const copy = `${file}.old-${stamp}`;
  fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(copy, 0o600);
  return copy;
}

async function main(): Promise<void> {
  if (databaseUrl && !isPostgresUrl(databaseUrl)) throw new Error("SAFENET_DATABASE_URL must be a postgres:// URL, or empty for SQLite in DATA_DIR.");
  const keyFile = path.join(dataDir, MASTER_KEY_FILE);
  if (source === "file" && !fs.existsSync(keyFile)) {
    throw new Error(`No master key to rotate: neither SAFENET_MASTER_KEY nor ${keyFile} exists.`);
  }
  const where = { dataDir, databaseUrl };
  const release = await lockInstance(where, "rotation");
  try {
    const oldMaster = loadMasterKey(source === "file" ? undefined : inEnvironment || inDotEnv, dataDir);
    const newMaster = crypto.randomBytes(32);
    const newText = newMaster.toString("base64");
    const pending = path.join(dataDir, `${MASTER_KEY_FILE}.new`);
    if (fs.existsSync(pending)) {
      throw new Error(
        `${pending} is left from an interrupted rotation. If the simulator refuses the current key, that file holds the key the database now needs: install it; otherwise delete it. Then run this again.`,
      );
    }
    fs.writeFileSync(pending, newText + "\n", { mode: 0o600, flag: "wx" });

    let counts;
    try {
      const db = await openDatabase(where);
      try {
        counts = await rotateMasterKey(db, oldMaster, newMaster);
      } finally {
        await db.close();
      }
    } catch (error) {
      fs.rmSync(pending);
      throw error;
    }
    console.log(`Re-sealed ${counts.seeds} token seeds, ${counts.mails} mails and the PIN pepper in ${describeDatabase(where)} under the new master key.`);
    if (databaseUrl) console.log("Every simulator on this database needs the new key before it starts again.");

    if (source === "file") {
      console.log(`Old key kept in ${backup(keyFile)} (0600): delete it once the new key is safely backed up.`);
      fs.renameSync(pending, keyFile);
      console.log(`New key written to ${keyFile} (0600).`);
    } else if (source === ".env") {
      console.log(`Old .env kept in ${backup(envFile)} (0600): delete it once the new key is safely backed up.`);
      const text = fs.readFileSync(envFile, "utf8");
      writePrivate(envFile, text.replace(/^SAFENET_MASTER_KEY=.*$/m, `SAFENET_MASTER_KEY=${newText}`));
      fs.rmSync(pending);
      console.log(`New key written to ${envFile} as SAFENET_MASTER_KEY (0600).`);
    } else {
      console.log(
        `SAFENET_MASTER_KEY comes from the environment, not a file: set it to the new key in ${pending} (0600) before the simulator starts again, then delete that file.`,
      );
    }
  } finally {
    await release();
  }
}

main().catch((error: unknown) => {
  console.error(`The master key was not rotated: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
