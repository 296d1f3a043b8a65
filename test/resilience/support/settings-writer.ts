import { saveMfaSettings, getMfaSettings } from "../../../db/queries/settings";

// Child process for the crash test: saves the portal's MFA settings in a loop through the portal's own
// query module, printing "ack N" after each save returns, until it is killed.

const base = getMfaSettings();
for (let n = 1; ; n++) {
  saveMfaSettings({ ...base, userRepository: `repo-${n}`, splitDelivery: n % 2 === 0 }, `writer-${n}`);
  process.stdout.write(`ack ${n}\n`);
}
