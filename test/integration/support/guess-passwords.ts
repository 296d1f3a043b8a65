import "../../support/server-side";
import { checkPasswordThrottled } from "../../../lib/server/auth/password-check";

// One portal process's worth of parallel password guesses, for the throttle tests: prints how the
// attempts ended as JSON. The endpoints and DATA_DIR come from the environment.

const [tmsUrl, username, count] = process.argv.slice(2);
const endpoints = { tmsUrl, otpServiceUrl: tmsUrl, repository: "corp.local" };

async function main() {
  const outcomes = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) => checkPasswordThrottled(endpoints, username, `Wrong!${i}`, "192.0.2.10")),
  );
  const tally: Record<string, number> = {};
  for (const o of outcomes) tally[o.ok ? "ok" : o.reason] = (tally[o.ok ? "ok" : o.reason] ?? 0) + 1;
  console.log(JSON.stringify(tally));
}

void main();
