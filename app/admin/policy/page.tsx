import type { Metadata } from "next";
import { requireAdmin } from "@/lib/server/auth/session";
import { errorSentence } from "@/lib/safenet/token-actions";
import { PolicyForm } from "./policy-form";
import { safenet } from "@/lib/server/safenet/endpoints";

export const metadata: Metadata = { title: "SafeNet policy" };

export default async function PolicyPage() {
  await requireAdmin();
  const policy = await (await safenet())
    .policy()
    .then((p) => ({ ok: true as const, p }))
    .catch((err: unknown) => ({ ok: false as const, message: errorSentence(err) }));
  return (
    <section aria-labelledby="policy-title">
      <h1 id="policy-title">SafeNet policy</h1>
      <p>
        How SafeNet checks passcodes for every user: when tokens lock, where the PIN goes, and how far a token may drift.
        Changes apply from the next sign-in.
      </p>
      {policy.ok ? (
        <PolicyForm policy={policy.p} />
      ) : (
        <p role="alert" className="form-error">
          {policy.message}
        </p>
      )}
    </section>
  );
}
