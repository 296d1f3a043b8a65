// Time-step arithmetic shared by the server (lib/otp) and the browser (lib/otp/web): no crypto here.

/** The RFC 6238 time step that contains `timeSeconds`. */
export function timeStepAt(timeSeconds: number, stepSeconds = 30): number {
  return Math.floor(timeSeconds / stepSeconds);
}

/** Seconds left in the current time step (for a countdown). */
export function secondsLeftInStep(timeSeconds: number, stepSeconds = 30): number {
  return stepSeconds - (Math.floor(timeSeconds) % stepSeconds);
}
