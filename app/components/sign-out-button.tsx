"use client";

import { signOutTo } from "@/lib/auth/auth-client";

export function SignOutButton() {
  return (
    <button type="button" className="link-button" onClick={() => void signOutTo("/login")}>
      Sign out
    </button>
  );
}
