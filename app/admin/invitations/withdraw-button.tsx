"use client";

import { useActionState } from "react";
import { IDLE } from "@/lib/forms/state";
import { withdrawInvitationById } from "./actions";

export function WithdrawButton({ id, upn }: { id: number; upn: string }) {
  const [state, submit, pending] = useActionState(withdrawInvitationById, IDLE);
  return (
    <form action={submit} aria-busy={pending}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} aria-label={`Withdraw the invitation of ${upn}`}>
        {pending ? "Withdrawing…" : "Withdraw"}
      </button>
      <span role="status" aria-live="polite" className={state.status === "error" ? "form-error" : undefined}>
        {state.status === "idle" ? null : state.message}
      </span>
    </form>
  );
}
