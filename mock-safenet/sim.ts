import fs from "node:fs";
import path from "node:path";
import type { SimulatorConfig } from "./config";
import { checkMasterKey, openDatabase, pinPepper, type SimDb } from "./db";
import { makeDirectory, type Directory } from "./directory";
import { makeEventLog, type EventLog } from "./events";
import { createKeyring, loadMasterKey, seedSubkey, type Keyring } from "./keys";
import { makeMailbox, type Mailbox } from "./mail-sink";
import { makePolicyStore, type PolicyStore } from "./policy";
import { DEMO_REPOSITORY, seedDemoDirectory } from "./seed";
import { makeTokenStore, type TokenStore } from "./token-store";
import { makeTokens, type Tokens } from "./tokens";
import { makeGroupCommit, type GroupCommit } from "./group-commit";
import { makeValidator, type Validator } from "./validator";
import { makePskcReader, type PskcReader } from "./pskc-pool";
import { IMPORT_LIMITS } from "./token-import";

// Wires the simulator's parts together over one database connection.

export interface Sim {
  config: SimulatorConfig;
  version: string;
  db: SimDb;
  keys: Keyring;
  directory: Directory;
  policy: PolicyStore;
  events: EventLog;
  store: TokenStore;
  tokens: Tokens;
  validator: Validator;
  batch: GroupCommit;
  mailbox: Mailbox;
  pskc: PskcReader;
  log: (line: string) => void;
  /** The demo accounts created on this start (empty when the directory already existed). */
  seeded: { upn: string; password: string; note: string }[];
}

function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export async function createSim(config: SimulatorConfig, log: (line: string) => void = console.log): Promise<Sim> {
  const master = loadMasterKey(config.masterKey, config.dataDir);
  const db = openDatabase(config.dataDir);
  checkMasterKey(db, createKeyring(master).keyCheck());
  const keys = createKeyring(master, pinPepper(db, master));
  const directory = makeDirectory(db);
  const policy = makePolicyStore(db);
  const events = makeEventLog(db);
  const store = makeTokenStore(db);
  const seeded = await seedDemoDirectory(db, directory);
  const tokens = makeTokens({ db, keys, policy, events, store, publicUrl: config.publicUrl, repositoryName: DEMO_REPOSITORY.name });
  const batch = makeGroupCommit(db.$client);
  const validator = makeValidator({ db, keys, policy, events, defaultRepository: DEMO_REPOSITORY.name, batch });
  return {
    config,
    version: readVersion(),
    db,
    keys,
    directory,
    policy,
    events,
    store,
    tokens,
    validator,
    batch,
    mailbox: makeMailbox(db, keys),
    pskc: makePskcReader({ limits: IMPORT_LIMITS, seedKey: seedSubkey(master), thread: config.importThread }),
    log,
    seeded,
  };
}
