import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { openDatabase } from "../mock-safenet/db";
import { lockDataDir } from "../mock-safenet/data-dir-lock";
import { rotateMasterKey } from "../mock-safenet/key-rotation";
import { loadMasterKey, MASTER_KEY_FILE } from "../mock-safenet/keys";

// `npm run safenet:rotate-key`: a new seed master key for the simulator's DATA_DIR. Refuses while
// the simulator runs there (it holds DATA_DIR/safenet.lock). The new key is written to
// DATA_DIR/master.key.new before the database changes, so a crash never loses it; then it replaces
// the old one where that lived (.env or DATA_DIR/master.key), the old kept beside it as a 0600 backup.

const root = process.cwd();
const envFile = path.join(root, ".env");
const fromFile = fs.existsSync(envFile) ? parseEnv(fs.readFileSync(envFile, "utf8")) : {};
const dataDir = path.resolve(root, process.env.DATA_DIR || fromFile.DATA_DIR || "data");
const inEnvironment = process.env.SAFENET_MASTER_KEY;
const inDotEnv = fromFile.SAFENET_MASTER_KEY;
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

function main(): void {
  const keyFile = path.join(dataDir, MASTER_KEY_FILE);
  if (source === "file" && !fs.existsSync(keyFile)) {
    throw new Error(`No master key to rotate: neither SAFENET_MASTER_KEY nor ${keyFile} exists.`);
  }
  const release = lockDataDir(dataDir, "a master key rotation");
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

    const db = openDatabase(dataDir);
    let counts;
    try {
      counts = rotateMasterKey(db, oldMaster, newMaster);
    } catch (error) {
      fs.rmSync(pending);
      throw error;
    } finally {
      db.$client.close();
    }
    console.log(`Re-sealed ${counts.seeds} token seeds, ${counts.mails} mails and the PIN pepper under the new master key.`);

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
    release();
  }
}

try {
  main();
} catch (error) {
  console.error(`The master key was not rotated: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
