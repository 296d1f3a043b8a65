"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export const ADMIN_SECTIONS = [
  { href: "/admin/mfa", label: "Multi-factor authentication" },
  { href: "/admin/exclusions", label: "Exclusions" },
  { href: "/admin/users", label: "Users and tokens" },
  { href: "/admin/policy", label: "SafeNet policy" },
  { href: "/admin/events", label: "Events" },
];

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
