"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { FormStatus } from "@/app/components/form-field";
import { IDLE } from "@/lib/forms/state";
import { unlockToken } from "./users/[upn]/actions";
import { userHref } from "./users/format";

export interface LockedToken {
  serial: string;
  upn: string;
  lockedUntil: string;
}

/**
 * The tokens locked now, each with the admin token action "unlock". One status for the list, outside
 * the table, so the answer stays when the unlocked token's row goes.
 */
export function LockedTokens({ tokens }: { tokens: LockedToken[] }) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(unlockToken, IDLE);
  useEffect(() => {
    if (state.status === "success") router.refresh();
  }, [state, router]);

  return (
    <>
      <FormStatus state={state} />
      {tokens.length === 0 ? (
        <p>No token is locked now.</p>
      ) : (
        <table className="stack" aria-labelledby="locked-title">
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">User</th>
              <th scope="col">Locked until</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.serial}>
                <td data-label="Token">{t.serial}</td>
                <td data-label="User">
                  <Link href={userHref(t.upn)}>{t.upn}</Link>
                </td>
                <td data-label="Locked until">{t.lockedUntil}</td>
                <td data-label="Action">
                  <form action={dispatch}>
                    <input type="hidden" name="upn" value={t.upn} />
                    <input type="hidden" name="serial" value={t.serial} />
                    <button type="submit" className="secondary" disabled={pending} aria-label={`Unlock token ${t.serial} of ${t.upn}`}>
                      Unlock
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
