import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/server/auth/session";

export const metadata: Metadata = { title: "Not allowed" };

export default async function DeniedPage() {
  const viewer = await requireUser();
  return (
    <section aria-labelledby="denied-title">
      <h1 id="denied-title">Administrators only</h1>
      <p>
        {viewer.upn} is not a member of RAS Admins, so the admin console is not available. Ask an administrator if you need
        access.
      </p>
      <p>
        <Link href="/">Back to the start page</Link>
      </p>
    </section>
  );
}
