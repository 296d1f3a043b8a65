"use client";

import { getSession, signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { InputField } from "@/app/components/form-field";
import { landingPath } from "./landing";
import { UNREACHABLE } from "./messages";

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
    const result = await signIn("credentials", { redirect: false, username, password }).catch(() => undefined);
    setBusy(false);
    if (!result || result.error) {
      setPassword("");
      setErrors({ form: !result ? UNREACHABLE : result.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed. Try again." });
      return;
    }
    // A user with an active token continues with PIN + OTP; one who must enroll goes to New Account Info.
    const session = await getSession();
    router.replace(landingPath(session?.user.mfa, callbackUrl, window.location.origin));
    router.refresh();
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
