import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/auth/session";
import { type Token } from "@/lib/safenet/contract";
import { errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";
import { formatWhen } from "../format";
import type { TokenView } from "./token-facts";
import { ThrottlePanel } from "./throttle-panel";
import { TokenList } from "./token-list";
import { AssignPanel } from "./assign-panel";
import { endpoints, safenet } from "@/lib/server/safenet/endpoints";

type Params = { upn: string };

/** Segment values may arrive percent-encoded; a UPN never holds a literal "%". */
function upnOf(raw: string): string {
  try {
    return raw.includes("%") ? decodeURIComponent(raw) : raw;
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${upnOf((await params).upn)} · Users and tokens` };
}

function viewOf(t: Token): TokenView {
  return {
    serial: t.serial,
    type: t.type,
    otpMode: t.otpMode,
    otpLength: t.otpLength,
    state: t.state,
    failCount: t.failCount,
    lockedUntil: t.state === "Locked" ? formatWhen(t.lockedUntil) : null,
    createdAt: formatWhen(t.createdAt),
    activatedAt: formatWhen(t.activatedAt),
    lastUsedAt: formatWhen(t.lastUsedAt),
  };
}

export default async function UserPage({ params }: { params: Promise<Params> }) {
  await requireAdmin();
  const upn = upnOf((await params).upn);
  const client = await safenet();
  const [user, policy] = await Promise.allSettled([client.getUser(upn), client.policy()]);
  const back = (
    <p>
      <Link href="/admin/users">← All users</Link>
    </p>
  );

  if (user.status === "rejected") {
    const missing = isSafeNetError(user.reason) && user.reason.status === 404;
    return (
      <section aria-labelledby="user-title">
        {back}
        <h1 id="user-title">{upn}</h1>
        <p role="alert" className="form-error">
          {missing
            ? `The repository ${(await endpoints()).repository} has no user ${upn}. Search the users list for the right name.`
            : errorSentence(user.reason)}
        </p>
      </section>
    );
  }

  const u = user.value;
  const pinLengths = policy.status === "fulfilled" ? { min: policy.value.pinMinLength, max: policy.value.pinMaxLength } : null;
  return (
    <section aria-labelledby="user-title">
      {back}
      <h1 id="user-title">{u.displayName}</h1>

      <h2 id="directory-title">Directory</h2>
      <table aria-labelledby="directory-title">
        <tbody>
          <tr>
            <th scope="row">User name</th>
            <td>{u.upn}</td>
          </tr>
          <tr>
            <th scope="row">Display name</th>
            <td>{u.displayName}</td>
          </tr>
          <tr>
            <th scope="row">Email</th>
            <td>{u.email || "None"}</td>
          </tr>
          <tr>
            <th scope="row">Groups</th>
            <td>{u.groups.length ? u.groups.join(", ") : "None"}</td>
          </tr>
          <tr>
            <th scope="row">SafeNet account</th>
            <td>{u.safenetAccount ? "Yes" : "No"}</td>
          </tr>
        </tbody>
      </table>

      <TokenList upn={u.upn} tokens={u.tokens.map(viewOf)} pinLengths={pinLengths} />
      <ThrottlePanel upn={u.upn} />
      <AssignPanel user={u} />
    </section>
  );
}
