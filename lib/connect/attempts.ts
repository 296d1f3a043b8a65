// How many wrong passcodes a token may still take before SafeNet locks it, as the OTP prompt says it.
// Pure: the numbers come from the token (failCount) and the policy (lockThreshold).

/** Wrong passcodes left before the lock; null when the policy never locks (threshold 0). */
export function remainingAttempts(failCount: number, lockThreshold: number): number | null {
  if (lockThreshold <= 0) return null;
  return Math.max(0, lockThreshold - Math.max(0, failCount));
}

export interface AttemptsInput {
  serial: string;
  failCount: number;
  state: string;
  lockThreshold: number;
  lockDurationSeconds: number;
}

/** The sentence shown after a wrong passcode. */
export function attemptsSentence(t: AttemptsInput): string {
  const left = remainingAttempts(t.failCount, t.lockThreshold);
  if (left === null) return `No lock: the policy's lock threshold is 0, so wrong passcodes never lock token ${t.serial}.`;
  if (t.state === "Locked" || left === 0) {
    return `No attempts left: token ${t.serial} is locked for ${duration(t.lockDurationSeconds)} after ${t.lockThreshold} wrong passcodes in a row; an administrator can unlock it sooner.`;
  }
  const noun = left === 1 ? "attempt" : "attempts";
  return `${left} ${noun} left before token ${t.serial} locks (the policy locks a token after ${t.lockThreshold} wrong passcodes in a row).`;
}

function duration(seconds: number): string {
  if (seconds % 60 === 0 && seconds >= 60) {
    const m = seconds / 60;
    return `${m} minute${m === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
