"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ADMIN_SECTIONS } from "./sections";

export function AdminNav() {
  const path = usePathname();
  return (
    <nav aria-label="Admin console" className="admin-nav">
      <ul>
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.href}>
            <Link href={s.href} aria-current={path.startsWith(s.href) ? "page" : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
