"use client";

import { useActionState } from "react";
import { FormStatus } from "@/app/components/form-field";
import { IDLE } from "@/lib/forms/state";
import { assignTokenToUser } from "./assign-actions";

// Assign a token: an enrollment invitation to the address the directory holds. Shown while the
// user has no Active or Assigned token.
export function AssignForm({ upn, email, hasAccount }: { upn: string; email: string; hasAccount: boolean }) {
  const [state, submit, pending] = useActionState(assignTokenToUser, IDLE);
  return (
    <section aria-labelledby="assign-title">
      <h2 id="assign-title">Assign a token</h2>
      <p>
        {hasAccount ? "" : "SafeNet creates the user's account first. "}
        {email ? (
          <>
            An enrollment invitation goes to <strong>{email}</strong>, the address the directory holds: a link that works once,
            for {upn} only, for 7 days. {upn} signs in with their own password and chooses their own PIN; you never learn it.
          </>
        ) : (
          <>The directory holds no email address for {upn}: add one there first, since the invitation goes only to it.</>
        )}
      </p>
      <form action={submit} aria-busy={pending}>
        <input type="hidden" name="upn" value={upn} />
        <button type="submit" disabled={pending || !email}>
          {pending ? "Sending the invitation…" : "Assign a token and send the invitation"}
        </button>
      </form>
      <FormStatus state={state} />
    </section>
  );
}
