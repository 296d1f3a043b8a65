"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { InputField } from "@/app/components/form-field";
import { useHydrated } from "@/app/components/use-hydrated";
import { csrfTokenCache, fetchSessionMfa, postSignInStep } from "@/lib/auth/auth-client";
import { landingPath } from "./landing";
import { UNREACHABLE } from "./messages";

type Errors = { username?: string; password?: string; form?: string };

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const passwordRef = useRef<HTMLInputElement>(null);
  // Fetched while the user types, so that the submit is one round trip to the password check.
  const csrfToken = useMemo(() => csrfTokenCache(), []);
  useEffect(() => void csrfToken().catch(() => undefined), [csrfToken]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // The fields are uncontrolled and read here: text a password manager (or a quick hand) put in
    // before hydration is kept, where a controlled field is reset to React's empty state on hydration.
    const { username, password } = typedValues(e.currentTarget);
    const next: Errors = {};
    if (!username.trim()) next.username = "Enter your user name.";
    if (!password) next.password = "Enter your password.";
    setErrors(next);
    if (next.username || next.password) return;
    setBusy(true);
    const result = await csrfToken()
      .then((token) => postSignInStep("credentials", { username, password }, token))
      .catch(() => undefined);
    if (!result || result.error) {
      setBusy(false);
      if (passwordRef.current) passwordRef.current.value = "";
      setErrors({ form: !result ? UNREACHABLE : result.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed. Try again." });
      return;
    }
    // A user with an active token continues with PIN + OTP; one who must enroll goes to New Account Info.
    // A client-side navigation, as after the OTP step: the refresh drops what the router kept from
    // before sign-in (prefetched pages, the header's layout) and renders the new page with the session.
    // A full load cost the browser the app's scripts again: 243 ms of its 419 ms over the password check.
    const mfa = await fetchSessionMfa().catch(() => undefined);
    router.replace(landingPath(mfa, callbackUrl, window.location.origin));
    router.refresh();
  }

  return (
    // POST, so that even a submit the browser made on its own never puts the password in a URL.
    <form method="post" onSubmit={(e) => void submit(e)} noValidate aria-describedby={errors.form ? "login-error" : undefined}>
      <div role="alert" id="login-error" className="form-error">
        {errors.form}
      </div>
      <InputField id="username" label="User name" error={errors.username} name="username" autoComplete="username" />
      <InputField
        id="password"
        ref={passwordRef}
        label="Password"
        error={errors.password}
        name="password"
        type="password"
        autoComplete="current-password"
      />
      <button type="submit" disabled={busy || !hydrated} aria-busy={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function typedValues(form: HTMLFormElement): { username: string; password: string } {
  const data = new FormData(form);
  return { username: String(data.get("username") ?? ""), password: String(data.get("password") ?? "") };
}
