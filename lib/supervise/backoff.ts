// When a supervised process dies: wait 1 s, doubling each time up to 30 s, and start counting
// again once it has stayed up for a minute. Pure, so the policy is tested without processes.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Uptime after which the process counts as healthy again and the delay starts over. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

export interface RestartState {
  /** Exits in a row, each after less than `resetAfterMs` of uptime. */
  failures: number;
}

export const initialRestartState: RestartState = { failures: 0 };

/** The delay before the next start of a process that just exited after `uptimeMs`, and the new state. */
export function afterExit(
  state: RestartState,
  uptimeMs: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): { delayMs: number; state: RestartState } {
  const failures = uptimeMs >= policy.resetAfterMs ? 0 : state.failures;
  const delayMs = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(failures, 30));
  return { delayMs, state: { failures: failures + 1 } };
}
