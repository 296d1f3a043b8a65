import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterExit, DEFAULT_BACKOFF, initialRestartState, type BackoffPolicy, type RestartState } from "../lib/supervise/backoff";

// Keeps each child running: one that dies is started again after a backoff while the others keep
// serving; stop() sends SIGTERM to every child's process group, waits for requests in flight to
// finish, and SIGKILLs what is still there after the grace period.

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface SupervisorOptions {
  policy?: BackoffPolicy;
  graceMs?: number;
  log?: (line: string) => void;
}

interface Slot {
  spec: ChildSpec;
  child: ChildProcess | null;
  startedAt: number;
  restart: RestartState;
  timer: NodeJS.Timeout | null;
}

export interface Supervisor {
  /** SIGTERM to all, SIGKILL after the grace period; resolves when every child has exited. */
  stop(): Promise<void>;
  pids(): Record<string, number | undefined>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function supervise(specs: ChildSpec[], options: SupervisorOptions = {}): Supervisor {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  const graceMs = options.graceMs ?? 10_000;
  const log = options.log ?? ((line: string) => console.log(line));
  let stopping = false;
  const slots: Slot[] = specs.map((spec) => ({ spec, child: null, startedAt: 0, restart: initialRestartState, timer: null }));

  const start = (slot: Slot) => {
    slot.timer = null;
    // Its own process group, so a signal reaches the wrappers' children too (tsx, next).
    const child = spawn(slot.spec.command, slot.spec.args, {
      cwd: slot.spec.cwd,
      env: slot.spec.env ?? process.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    slot.child = child;
    slot.startedAt = Date.now();
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on("line", (line) => log(`[${slot.spec.name}] ${line}`));
    }
    child.on("error", (error) => log(`[supervisor] ${slot.spec.name} could not start: ${error.message}`));
    // "exit", not "close": a grandchild that survived would keep the pipes, and "close", waiting.
    child.on("exit", (code, signal) => {
      // Whatever the dead leader left behind in its group would hold the port.
      killGroup(child, "SIGKILL");
      if (stopping) return;
      const uptime = Date.now() - slot.startedAt;
      const next = afterExit(slot.restart, uptime, policy);
      slot.restart = next.state;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      log(`[supervisor] ${slot.spec.name} ${how} after ${(uptime / 1000).toFixed(1)} s; restarting in ${next.delayMs / 1000} s.`);
      slot.timer = setTimeout(() => start(slot), next.delayMs);
    });
  };

  slots.forEach(start);

  return {
    pids: () => Object.fromEntries(slots.map((s) => [s.spec.name, s.child?.pid])),
    async stop() {
      stopping = true;
      for (const slot of slots) if (slot.timer) clearTimeout(slot.timer);
      await Promise.all(
        slots.map(async ({ child, spec }) => {
          if (!child?.pid) return;
          const pid = child.pid;
          if (!exited(child)) killGroup(child, "SIGTERM");
          // The whole group, not only the leader: next and tsx run the server in a child process.
          const deadline = Date.now() + graceMs;
          while ((!exited(child) || groupAlive(pid)) && Date.now() < deadline) await sleep(50);
          if (!exited(child) || groupAlive(pid)) {
            log(`[supervisor] ${spec.name} did not stop within ${graceMs / 1000} s; killing it.`);
            killGroup(child, "SIGKILL");
            while (!exited(child)) await sleep(50);
          }
        }),
      );
    },
  };
}

/** Runs the children until SIGINT or SIGTERM, then stops them all gracefully. */
export async function superviseUntilSignalled(specs: ChildSpec[], options: SupervisorOptions = {}): Promise<void> {
  const supervisor = supervise(specs, options);
  const log = options.log ?? ((line: string) => console.log(line));
  await new Promise<void>((resolve) => {
    let stopping = false;
    // Kept for the whole run: a second Ctrl-C must not kill the supervisor and orphan its children.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (stopping) return log(`[supervisor] ${signal}: already stopping, waiting for the children to exit…`);
        stopping = true;
        log(`[supervisor] ${signal}: stopping, letting requests in flight finish…`);
        resolve();
      });
    }
  });
  await supervisor.stop();
}
