import fs from "node:fs";
import path from "node:path";
import type { Sql } from "../lib/runtime/sql";
import type { SimulatorConfig } from "./config";
import { checkMasterKey, openDatabase, pinPepper } from "./db";
import { makeDirectory, type Directory } from "./directory";
import { makeEventLog, type EventLog } from "./events";
import { createKeyring, loadMasterKey, seedSubkey, type Keyring } from "./keys";
import { makeMailbox, type Mailbox } from "./mail-sink";
import { makePolicyStore, type PolicyStore } from "./policy";
import { DEMO_REPOSITORY, seedDemoDirectory } from "./seed";
import { makeTokenStore, type TokenStore } from "./token-store";
import { makeTokens, type Tokens } from "./tokens";
import { makeValidator, type Validator } from "./validator";
import { makePskcReader, type PskcReader } from "./pskc-pool";
import { IMPORT_LIMITS } from "./token-import";

// Wires the simulator's parts together over one database (SQLite or PostgreSQL). Nothing another
// instance on the same database would need is kept here: every part reads what it needs per call.

/** The parts that read and write the database, all on one handle: the database, or a transaction's. */
export interface SimParts {
  directory: Directory;
  store: TokenStore;
  tokens: Tokens;
  events: EventLog;
  policy: PolicyStore;
}

export interface Sim extends SimParts {
  config: SimulatorConfig;
  version: string;
  db: Sql;
  keys: Keyring;
  validator: Validator;
  mailbox: Mailbox;
  pskc: PskcReader;
  log: (line: string) => void;
  /** The demo accounts created on this start (empty when the directory already existed). */
  seeded: { upn: string; password: string; note: string }[];
  /**
   * Runs `work` in one transaction with every part on it: a multi-step write commits whole or not at
   * all. On PostgreSQL it may run again after a serialization failure: no effects outside the database.
   */
  transaction<T>(work: (parts: SimParts) => Promise<T>, options?: { batch?: boolean }): Promise<T>;
}

function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export async function createSim(config: SimulatorConfig, log: (line: string) => void = console.log): Promise<Sim> {
  const master = loadMasterKey(config.masterKey, config.dataDir);
  const db = await openDatabase(config);
  await checkMasterKey(db, createKeyring(master).keyCheck());
  const keys = createKeyring(master, await pinPepper(db, master));
  const partsOn = (handle: Sql): SimParts => ({
    directory: makeDirectory(handle, keys),
    store: makeTokenStore(handle),
    tokens: makeTokens({ db: handle, keys, publicUrl: config.publicUrl, repositoryName: DEMO_REPOSITORY.name }),
    events: makeEventLog(handle),
    policy: makePolicyStore(handle),
  });
  const parts = partsOn(db);
  const seeded = await seedDemoDirectory(db, parts.directory);
  return {
    ...parts,
    config,
    version: readVersion(),
    db,
    keys,
    validator: makeValidator({ db, keys, defaultRepository: DEMO_REPOSITORY.name }),
    mailbox: makeMailbox(db, keys),
    pskc: makePskcReader({ limits: IMPORT_LIMITS, seedKey: seedSubkey(master), thread: config.importThread }),
    log,
    seeded,
    transaction: (work, options) => db.transaction((tx) => work(partsOn(tx)), options),
  };
}
