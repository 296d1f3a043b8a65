import { describe, expect, it } from "vitest";
import { afterExit, DEFAULT_BACKOFF, initialRestartState, type RestartState } from "../../lib/supervise/backoff";

function delays(uptimes: number[]): number[] {
  let state: RestartState = initialRestartState;
  return uptimes.map((uptime) => {
    const next = afterExit(state, uptime);
    state = next.state;
    return next.delayMs;
  });
}

describe("restart backoff", () => {
  it("waits 1 s after a first crash and doubles while the process keeps crashing", () => {
    expect(delays([100, 100, 100, 100, 100])).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it("never waits more than 30 s", () => {
    expect(delays(Array(40).fill(0)).slice(4)).toEqual([16_000, ...Array(35).fill(30_000)]);
  });

  it("starts over at 1 s once the process stayed up for a minute", () => {
    expect(delays([10, 10, 10, DEFAULT_BACKOFF.resetAfterMs, 10])).toEqual([1_000, 2_000, 4_000, 1_000, 2_000]);
  });

  it("does not reset on uptime just short of a minute", () => {
    expect(delays([10, 10, DEFAULT_BACKOFF.resetAfterMs - 1])).toEqual([1_000, 2_000, 4_000]);
  });
});
