"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { csrfTokenCache, postSignInStep } from "@/lib/auth/auth-client";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { useHydrated } from "@/app/components/use-hydrated";
import { UNREACHABLE } from "../messages";
import { OUTER_WINDOW_PREFIX, PASSCODE_HINT, readPasscode } from "@/lib/auth/passcode";

export function OtpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [resyncState, setResyncState] = useState<string>();
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const [tries, setTries] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  // Fetched while the user reads their token, so that the submit is one round trip to SafeNet.
  const csrfToken = useMemo(() => csrfTokenCache(), []);
  useEffect(() => void csrfToken().catch(() => undefined), [csrfToken]);

  // The passcode is the one thing this page asks for: focus it at once, and again after each refusal.
  useEffect(() => inputRef.current?.focus(), [tries]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // The field is uncontrolled and read here: a passcode typed (or filled in) before hydration is
    // kept, where a controlled field is reset to React's empty state on hydration.
    const passcode = String(new FormData(e.currentTarget).get("passcode") ?? "");
    if (!readPasscode(passcode)) {
      setError(PASSCODE_HINT);
      setTries((n) => n + 1);
      return;
    }
    setBusy(true);
    const result = await csrfToken()
      .then((token) => postSignInStep("otp", { passcode, state: resyncState ?? "" }, token))
      .catch(() => undefined);
    setBusy(false);
    if (inputRef.current) inputRef.current.value = "";
    setTries((n) => n + 1);
    if (result?.error?.startsWith(OUTER_WINDOW_PREFIX)) {
      setResyncState(result.error.slice(OUTER_WINDOW_PREFIX.length));
      setError("SafeNet asks you to re-authenticate, using the next response: wait for the next code and enter your PIN followed by it.");
      return;
    }
    if (!result || result.error) {
      setResyncState(undefined);
      setError(!result ? UNREACHABLE : result.error && result.error !== "CredentialsSignin" ? result.error : "The passcode was not accepted. Try again.");
      return;
    }
    router.replace(safeRedirectPath(callbackUrl, window.location.origin));
    router.refresh();
  }

  return (
    // POST, so that even a submit the browser made on its own never puts the passcode in a URL.
    <form method="post" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor="passcode">Passcode (PIN + one-time password)</label>
        <input
          ref={inputRef}
          id="passcode"
          name="passcode"
          type="password"
          inputMode="numeric"
          autoComplete="one-time-code"
          aria-invalid={!!error}
          aria-describedby="passcode-error"
        />
        <p id="passcode-error" role="alert" className="field-error">
          {error}
        </p>
      </div>
      <button type="submit" disabled={busy || !hydrated} aria-busy={busy}>
        {busy ? "Checking…" : resyncState ? "Send the next passcode" : "Continue"}
      </button>
    </form>
  );
}
