import { loadMasterKey } from "../../../mock-safenet/keys";

// One of several processes racing for master keys: for each DATA_DIR named in argv, waits until its
// start time (epoch ms) and calls loadMasterKey there, printing one JSON line per round.

const rounds = JSON.parse(process.argv[2]) as { dir: string; at: number }[];
for (const { dir, at } of rounds) {
  while (Date.now() < at) {
    // spin: every process calls at the same millisecond
  }
  try {
    console.log(JSON.stringify({ dir, key: loadMasterKey(undefined, dir).toString("base64") }));
  } catch (error) {
    console.log(JSON.stringify({ dir, error: (error as Error).message }));
  }
}
