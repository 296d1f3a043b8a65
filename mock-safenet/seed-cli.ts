import { parseArgs } from "node:util";
import { loadDotEnv, readConfig } from "./config";
import { SYNTHETIC_PASSWORD, seedSyntheticUsers } from "./seed";
import { createSim } from "./sim";

// `npm run safenet:seed -- --users 100000`: adds synthetic users to corp.local for scale tests.

async function main() {
  const { values } = parseArgs({ options: { users: { type: "string", default: "1000" } } });
  const count = Number(values.users);
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000) {
    console.error("--users must be a whole number between 1 and 10000000, for example --users 100000.");
    process.exit(2);
  }
  loadDotEnv();
  const sim = await createSim({ ...readConfig(), logRequests: false }, () => {});
  const started = performance.now();
  const added = await seedSyntheticUsers(sim.db, sim.directory, count);
  const seconds = (performance.now() - started) / 1000;
  console.log(`Added ${added} synthetic users (${count - added} already there) in ${seconds.toFixed(1)} s.`);
  console.log(`They are user000001@corp.local … and share the password ${SYNTHETIC_PASSWORD}.`);
  await sim.pskc.close();
  await sim.db.close();
}

main().catch((err: Error) => {
  console.error(`Could not seed: ${err.message}`);
  process.exit(1);
});
