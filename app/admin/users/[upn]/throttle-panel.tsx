import { accountKey, blockedFor } from "@/lib/auth/throttle";
import { store } from "@/lib/server/store";
import { formatWhen } from "../format";
import { ThrottleClearForm } from "./throttle-clear-form";

/** The user's sign-in throttle: failed attempts in the window, whether sign-in is blocked, and Clear. */
export async function ThrottlePanel({ upn }: { upn: string }) {
  const state = await store.throttleState(accountKey(upn));
  const now = Date.now();
  const blocked = blockedFor(state ?? undefined, now) > 0;
  return (
    <section aria-labelledby="throttle-title">
      <h2 id="throttle-title">Sign-in throttle</h2>
      {!state || state.failures === 0 ? (
        <p>No failed sign-ins counted for {upn}.</p>
      ) : (
        <p>
          {state.failures} failed sign-in{state.failures === 1 ? "" : "s"} counted since {formatWhen(new Date(state.windowStart).toISOString())}.{" "}
          {blocked ? `Sign-in is blocked until ${formatWhen(new Date(state.blockedUntil!).toISOString())}.` : "Sign-in is not blocked."}
        </p>
      )}
      {/* Always there, so its outcome stays on screen after the page refreshes. */}
      <ThrottleClearForm upn={upn} />
    </section>
  );
}
