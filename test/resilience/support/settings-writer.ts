import { getDb } from "../../../db/index";
import { saveMfaSettings, getMfaSettings } from "../../../db/queries/settings";
import { defaultMfaSettings } from "../../../lib/mfa/settings";

// Child process for the crash test: saves the portal's MFA settings in a loop through the portal's own
// query module, printing "ack N" after each save returns, until it is killed.

async function main() {
  const db = getDb();
  const base = await getMfaSettings(db, defaultMfaSettings("http://127.0.0.1:4010"));
  for (let n = 1; ; n++) {
    await saveMfaSettings(db, { ...base, userRepository: `repo-${n}`, splitDelivery: n % 2 === 0 }, `writer-${n}`);
    process.stdout.write(`ack ${n}\n`);
  }
}

void main();
