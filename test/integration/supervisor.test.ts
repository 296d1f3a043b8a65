import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm start`'s supervisor over two tiny servers: a child killed with SIGKILL comes back while the
// other keeps answering; SIGTERM lets a request in flight finish and then everything exits, and a
// child that ignores SIGTERM is killed after the grace period.

const root = path.resolve(__dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function pidAt(port: number, wait = 0): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/?wait=${wait}`);
  const pid = Number(await res.text());
  children.add(pid);
  return pid;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let supervisor: ChildProcess | undefined;
const children = new Set<number>();
afterAll(() => {
  if (supervisor?.exitCode === null) supervisor.kill("SIGKILL");
  // Children run in their own process groups: after a failure nothing else would end them.
  for (const pid of children) if (alive(pid)) process.kill(pid, "SIGKILL");
});

describe("npm start's supervisor", () => {
  it("restarts a killed child while the other keeps serving, and stops all on SIGTERM after requests in flight", async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    supervisor = spawn(
      path.join(root, "node_modules/.bin/tsx"),
      ["test/integration/support/supervise-children.ts", String(portA), String(portB)],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    supervisor.stdout!.on("data", (d) => (output += d));
    supervisor.stderr!.on("data", (d) => (output += d));
    supervisor.stdout!.on("data", () => {
      const stubborn = /\[stubborn\] pid (\d+)/.exec(output)?.[1];
      if (stubborn) children.add(Number(stubborn));
    });
    const exited = new Promise<number | null>((resolve) => supervisor!.once("exit", (code) => resolve(code)));

    const firstA = await eventually("child a", () => pidAt(portA));
    const pidB = await eventually("child b", () => pidAt(portB));

    process.kill(firstA, "SIGKILL");
    const answersOfB: number[] = [];
    const secondA = await eventually("child a restarted", async () => {
      answersOfB.push(await pidAt(portB));
      const pid = await pidAt(portA);
      return pid !== firstA ? pid : undefined;
    });
    expect(secondA).not.toBe(firstA);
    expect(new Set(answersOfB)).toEqual(new Set([pidB]));
    expect(output).toMatch(/\[supervisor\] a was killed by SIGKILL after [\d.]+ s; restarting in 0\.2 s\./);

    const inFlight = pidAt(portB, 1_500);
    await new Promise((r) => setTimeout(r, 300));
    supervisor.kill("SIGTERM");
    // A second signal (Ctrl-C pressed twice, or an impatient init) must not cut the graceful stop short.
    await new Promise((r) => setTimeout(r, 100));
    supervisor.kill("SIGTERM");
    expect(await inFlight).toBe(pidB);
    expect(await exited).toBe(0);
    expect(output).toContain("[test] supervisor stopped");
    expect(alive(secondA)).toBe(false);
    expect(alive(pidB)).toBe(false);
    const stubborn = Number(/\[stubborn\] pid (\d+)/.exec(output)?.[1]);
    expect(stubborn).toBeGreaterThan(0);
    expect(alive(stubborn)).toBe(false);
    expect(output).toContain("[supervisor] stubborn did not stop within 3 s; killing it.");
    expect(output).not.toContain("[supervisor] b did not stop");
  });
});
