"use client";

import { useEffect, useMemo, useState, type FormEvent } from "react";
import { InputField } from "@/app/components/form-field";
import { csrfTokenCache, fetchSessionMfa, postSignInStep } from "@/lib/auth/auth-client";
import { landingPath } from "./landing";
import { UNREACHABLE } from "./messages";

type Errors = { username?: string; password?: string; form?: string };

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  // Fetched while the user types, so that the submit is one round trip to the password check.
  const csrfToken = useMemo(() => csrfTokenCache(), []);
  useEffect(() => void csrfToken().catch(() => undefined), [csrfToken]);

  async function submit(e: FormEvent) {
    e.preventDefault();
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
      setPassword("");
      setErrors({ form: !result ? UNREACHABLE : result.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed. Try again." });
      return;
    }
    // A user with an active token continues with PIN + OTP; one who must enroll goes to New Account Info.
    // A full load: nothing the router kept from before sign-in (header, pages, title) outlives it.
    const mfa = await fetchSessionMfa().catch(() => undefined);
    window.location.replace(landingPath(mfa, callbackUrl, window.location.origin));
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={errors.form ? "login-error" : undefined}>
      <div role="alert" id="login-error" className="form-error">
        {errors.form}
      </div>
      <InputField id="username" label="User name" error={errors.username} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      <InputField
        id="password"
        label="Password"
        error={errors.password}
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" disabled={busy} aria-busy={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
