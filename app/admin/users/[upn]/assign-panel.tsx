import type { User } from "@/lib/safenet/contract";
import { enrolledToken } from "@/lib/server/invitations/invite";
import { AssignForm } from "./assign-form";

/** "Assign a token" for a user with no Active or Assigned token; nothing for one who has such a token. */
export function AssignPanel({ user }: { user: User }) {
  if (enrolledToken(user)) return null;
  return <AssignForm upn={user.upn} email={user.email} hasAccount={user.safenetAccount} />;
}
