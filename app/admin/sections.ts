// The admin console's sections, shared by the navigation (a client component) and the start page.
export const ADMIN_SECTIONS = [
  { href: "/admin/mfa", label: "Multi-factor authentication" },
  { href: "/admin/exclusions", label: "Exclusions" },
  { href: "/admin/users", label: "Users and tokens" },
  { href: "/admin/invitations", label: "Invitations" },
  { href: "/admin/policy", label: "SafeNet policy" },
  { href: "/admin/repositories", label: "User repositories" },
  { href: "/admin/auth-nodes", label: "Auth nodes" },
  { href: "/admin/events", label: "Events" },
];
