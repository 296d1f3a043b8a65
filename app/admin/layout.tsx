import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/server/auth/session";
import { AdminNav } from "./admin-nav";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin();
  return (
    <div className="admin">
      <AdminNav />
      <div className="admin-content">{children}</div>
    </div>
  );
}
