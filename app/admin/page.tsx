import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/auth/session";
import { ADMIN_SECTIONS } from "./sections";

export const metadata: Metadata = { title: "Admin console" };

export default async function AdminHome() {
  const viewer = await requireAdmin();
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Admin console</h1>
      <p>Signed in as {viewer.upn} with PIN and one-time password.</p>
      <ul>
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.href}>
            <Link href={s.href}>{s.label}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
