"use client";

import { getSession, signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

type Errors = { username?: string; password?: string; form?: string };

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next: Errors = {};
    if (!username.trim()) next.username = "Enter your user name.";
    if (!password) next.password = "Enter your password.";
    setErrors(next);
    if (next.username || next.password) return;
    setBusy(true);
    const result = await signIn("credentials", { redirect: false, username, password });
    setBusy(false);
    if (!result || result.error) {
      setPassword("");
      setErrors({ form: result?.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed. Try again." });
      return;
    }
    // A user with an active token continues with PIN + OTP before the session counts.
    const session = await getSession();
    router.replace(session?.user.mfa === "pending" ? `/login/otp?callbackUrl=${encodeURIComponent(callbackUrl)}` : callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate aria-describedby={errors.form ? "login-error" : undefined}>
      <div role="alert" id="login-error" className="form-error">
        {errors.form}
      </div>
      <div className="field">
        <label htmlFor="username">User name</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={!!errors.username}
          aria-describedby={errors.username ? "username-error" : undefined}
        />
        {errors.username && <p id="username-error" className="field-error">{errors.username}</p>}
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={!!errors.password}
          aria-describedby={errors.password ? "password-error" : undefined}
        />
        {errors.password && <p id="password-error" className="field-error">{errors.password}</p>}
      </div>
      <button type="submit" disabled={busy} aria-busy={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
