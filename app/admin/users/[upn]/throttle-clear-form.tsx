"use client";

import { useActionState } from "react";
import { FormStatus } from "@/app/components/form-field";
import { IDLE } from "@/lib/forms/state";
import { clearThrottleAction } from "./throttle-actions";

export function ThrottleClearForm({ upn }: { upn: string }) {
  const [state, action, pending] = useActionState(clearThrottleAction, IDLE);
  return (
    <form action={action}>
      <input type="hidden" name="upn" value={upn} />
      <button type="submit" className="secondary" aria-disabled={pending}>
        {pending ? "Clearing…" : "Clear sign-in throttle"}
      </button>
      <FormStatus state={state} />
    </form>
  );
}
