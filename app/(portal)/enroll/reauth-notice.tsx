"use client";

import { signOutTo } from "@/lib/auth/auth-client";
import { useEffect, useRef } from "react";

// Enrolling needs a recent sign-in; signing out and in again is the way back.
export function ReauthNotice({ callbackUrl = "/enroll", focus = false }: { callbackUrl?: string; focus?: boolean }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) headingRef.current?.focus();
  }, [focus]);
  return (
    <section aria-labelledby="reauth-title" className="notice">
      <h2 id="reauth-title" ref={headingRef} tabIndex={-1}>
        For your security, sign in again
      </h2>
      <p>
        Enrolling or changing a token needs a sign-in less than 20 minutes old, and yours is older. Sign out and sign in again
        with your domain password; you come back here afterwards.
      </p>
      <button type="button" onClick={() => void signOutTo(`/login?callbackUrl=${callbackUrl}`)}>
        Sign out and sign in again
      </button>
    </section>
  );
}
