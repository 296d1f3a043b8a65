import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { PskcError, readPskc, type PskcLimits } from "../lib/pskc";
import { SafeNetError } from "./errors";
import { sealWith } from "./keys";
import { sealKeys, type PskcJob, type SealedKey } from "./pskc-worker";

// Reads PSKC files in worker threads with a bounded queue. `thread: "main"` parses them on the event loop
// instead (only for measuring what the workers buy: bench/import-under-load.ts).

export interface PskcReader {
  /** Every key of the file, its seed sealed; throws PskcError. */
  read(xml: string, password: string): Promise<SealedKey[]>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Pending {
  job: PskcJob;
  resolve: (keys: SealedKey[]) => void;
  reject: (err: unknown) => void;
}

const WORKER_TS = path.join(__dirname, "pskc-worker.ts");

export function makePskcReader(opts: { limits: PskcLimits; seedKey: Buffer; thread: "worker" | "main"; maxQueued?: number; timeoutMs?: number }): PskcReader {
  const { limits, seedKey, thread, maxQueued = 16, timeoutMs = 30_000 } = opts;
  if (thread === "main") {
    const seal = (plain: Buffer, aad: string) => sealWith(seedKey, plain, aad);
    return { read: async (xml, password) => sealKeys(await readPskc(xml, password, limits), seal), close: async () => {} };
  }
  // One core is left to the event loop: the validator must keep answering during an import.
  const size = Math.min(2, Math.max(1, os.availableParallelism() - 1));
  const slots: (Slot | undefined)[] = new Array(size).fill(undefined);
  const queue: Pending[] = [];
  let nextId = 1;

  function spawn(): Worker {
    // Workers do not inherit tsx's loader on Node 20: the entry registers tsx's require hook first.
    const worker = __filename.endsWith(".ts")
      ? new Worker(`require("tsx/cjs"); require(${JSON.stringify(WORKER_TS)});`, { eval: true, execArgv: [], workerData: { seedKey } })
      : new Worker(path.join(__dirname, "pskc-worker.js"), { workerData: { seedKey } });
    worker.unref();
    return worker;
  }

  function runOn(index: number, p: Pending) {
    const slot = (slots[index] ??= { worker: spawn(), busy: false });
    slot.busy = true;
    const done = () => {
      clearTimeout(timer);
      slot.worker.off("message", onMessage);
      slot.worker.off("error", onError);
      slot.busy = false;
      pump();
    };
    const onMessage = (msg: { id: number; keys?: SealedKey[]; pskc?: { code: PskcError["code"]; message: string; limit?: PskcError["limit"] }; failed?: boolean }) => {
      if (msg.id !== p.job.id) return;
      done();
      // Structured clone turns Buffers into Uint8Arrays.
      if (msg.keys) return p.resolve(msg.keys.map((k) => ({ ...k, seedSealed: Buffer.from(k.seedSealed) })));
      if (msg.pskc) return p.reject(new PskcError(msg.pskc.code, msg.pskc.message, msg.pskc.limit));
      p.reject(new Error("The PSKC reader failed."));
    };
    const onError = (err: unknown) => {
      slots[index] = undefined;
      done();
      p.reject(err);
    };
    const timer = setTimeout(() => {
      slots[index] = undefined;
      void slot.worker.terminate();
      done();
      p.reject(new SafeNetError(422, "import_timeout", `Reading the seed file took longer than ${timeoutMs / 1000} s and was stopped. Split it into smaller files.`));
    }, timeoutMs);
    slot.worker.on("message", onMessage);
    slot.worker.once("error", onError);
    slot.worker.postMessage(p.job);
  }

  function pump() {
    for (let i = 0; i < size && queue.length; i++) {
      if (!slots[i]?.busy) runOn(i, queue.shift()!);
    }
  }

  return {
    read(xml, password) {
      if (queue.length >= maxQueued) {
        return Promise.reject(new SafeNetError(429, "too_many_imports", `${maxQueued} imports are already waiting; send this one again when they are done.`));
      }
      return new Promise((resolve, reject) => {
        queue.push({ job: { id: nextId++, xml, password, limits }, resolve, reject });
        pump();
      });
    },
    async close() {
      await Promise.all(slots.flatMap((s) => (s ? [s.worker.terminate()] : [])));
    },
  };
}
