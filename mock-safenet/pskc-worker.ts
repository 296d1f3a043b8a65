import fs from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { PskcError, readPskc, type PskcKey, type PskcLimits } from "../lib/pskc";
import { sealWith } from "./keys";

// Runs in a worker thread: XML parsing of a PSKC import and the sealing of each seed, so that the event
// loop keeps answering validations while a large file is read; readPskc's Web Crypto calls (PBKDF2, the
// per-key HMAC and AES) run on libuv's thread pool. Plain seeds never reach the main thread.

// Imports are batch work: on Linux a thread has its own nice value, so this thread yields the CPU
// to validations whenever both want it (elsewhere it simply keeps the default priority). The thread
// pool is shared with the event loop's own work (scrypt, files), so it keeps the default priority.
function lowerOwnPriority(): void {
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: run at normal priority.
  }
}
if (parentPort) lowerOwnPriority();

export interface PskcJob {
  id: number;
  xml: string;
  password: string;
  limits: PskcLimits;
}

/** A key package ready for the inventory: serial upper-cased (it is the seal's AAD), seed sealed. */
export interface SealedKey {
  serial: string;
  algorithm: PskcKey["algorithm"];
  digits: number;
  timeStepSeconds?: number;
  counter?: number;
  seedSealed: Buffer;
}

export function sealKeys(keys: PskcKey[], seal: (plain: Buffer, aad: string) => Buffer): SealedKey[] {
  return keys.map((k) => {
    const serial = k.serial.trim().toUpperCase();
    return { serial, algorithm: k.algorithm, digits: k.digits, timeStepSeconds: k.timeStepSeconds, counter: k.counter, seedSealed: serial ? seal(Buffer.from(k.secret), serial) : Buffer.alloc(0) };
  });
}

/** Opens one import job; every failure becomes an answer, so nothing escapes the worker. */
async function open(job: PskcJob, seedKey: Buffer): Promise<void> {
  try {
    const keys = sealKeys(await readPskc(job.xml, job.password, job.limits), (plain, aad) => sealWith(seedKey, plain, aad));
    parentPort!.postMessage({ id: job.id, keys });
  } catch (err) {
    // Only a PskcError's message is meant for the client; anything else stays a bare failure.
    const pskc = err instanceof PskcError ? { code: err.code, message: err.message, limit: err.limit } : undefined;
    parentPort!.postMessage({ id: job.id, pskc, failed: !pskc });
  }
}

if (parentPort) {
  const seedKey = Buffer.from(workerData.seedKey as Uint8Array);
  parentPort.on("message", (job: PskcJob) => void open(job, seedKey));
}
