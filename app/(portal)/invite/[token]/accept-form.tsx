"use client";

import { useActionState } from "react";
import { FormStatus } from "@/app/components/form-field";
import { IDLE } from "@/lib/forms/state";
import { acceptInvitationLink } from "../../enroll/invitation-actions";

export function AcceptForm({ token }: { token: string }) {
  const [state, submit, pending] = useActionState(acceptInvitationLink, IDLE);
  return (
    <form action={submit} aria-busy={pending}>
      <input type="hidden" name="token" value={token} />
      <button type="submit" disabled={pending}>
        {pending ? "Accepting…" : "Accept and set up my token"}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
