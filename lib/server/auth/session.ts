import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { type SessionRow } from "@/db/queries/sessions";
import { env } from "@/lib/runtime/env";
import { SafeNetError } from "@/lib/safenet/contract";
import { safenet } from "@/lib/server/safenet/endpoints";
import { currentSessionToken } from "./session-cookie";
import { ADMIN_GROUP, needsRecheck, tokenFingerprint, type SessionMfa } from "../../auth/session-rules";
import { store } from "@/lib/server/store";

// The data-access layer's gate: every page, server action and route handler calls one of these
// itself. The proxy only redirects; it decides nothing. A session is its row in the database: the
// cookie only names it, and the row is re-checked against SafeNet every SESSION_RECHECK_SECONDS.

export interface Viewer {
  upn: string;
  name: string;
  email: string;
  groups: string[];
  authAt: number;
  mfa: SessionMfa;
  isAdmin: boolean;
  /** The last PIN + OTP this session passed, in ms, or null. */
  stepUpAt: number | null;
}

export type ViewerState =
  | { status: "anonymous" }
  | { status: "expired" }
  | { status: "otp_pending"; viewer: Viewer }
  | { status: "enroll_only"; viewer: Viewer }
  | { status: "signed_in"; viewer: Viewer };

/**
 * Reads the user's tokens and groups from SafeNet again: a token added, removed or changed in any
 * state since the session last looked ends it; a change of groups changes what it may do. When
 * SafeNet cannot be asked the session carries on and asks again on the next request.
 */
async function recheck(sid: string, row: SessionRow, now: number): Promise<SessionRow | null> {
  let user;
  try {
    user = await (await safenet()).getUser(row.upn);
  } catch (err) {
    if (err instanceof SafeNetError && err.status === 404) {
      await store.endSession(sid, "user_removed", now);
      return null;
    }
    return row;
  }
  const fingerprint = tokenFingerprint(user.tokens);
  if (fingerprint !== row.fingerprint) {
    await store.endSession(sid, "token_changed", now);
    return null;
  }
  const isAdmin = user.groups.includes(ADMIN_GROUP);
  await store.markChecked(sid, { fingerprint, isAdmin }, now);
  return { ...row, isAdmin, checkedAt: now };
}

export const viewerState = cache(async (): Promise<ViewerState> => {
  const claims = await currentSessionToken();
  if (!claims) return { status: "anonymous" };
  const now = Date.now();
  let row = await store.openSession(claims.sid, now);
  if (row && needsRecheck(row.checkedAt, now, env().SESSION_RECHECK_SECONDS * 1000)) row = await recheck(claims.sid, row, now);
  if (!row) return { status: "expired" };
  const viewer: Viewer = {
    upn: claims.upn,
    name: claims.name ?? claims.upn,
    email: claims.email ?? "",
    groups: claims.groups ?? [],
    authAt: claims.authAt ?? 0,
    mfa: row.mfa,
    isAdmin: row.isAdmin,
    stepUpAt: row.stepUpAt,
  };
  if (row.mfa === "pending") return { status: "otp_pending", viewer };
  if (row.mfa === "enroll") return { status: "enroll_only", viewer };
  return { status: "signed_in", viewer };
});

function leave(state: ViewerState): never {
  if (state.status === "anonymous") redirect("/login");
  if (state.status === "otp_pending") redirect("/login/otp");
  if (state.status === "enroll_only") redirect("/enroll");
  redirect("/login?expired=1");
}

/** A fully signed-in user: password and PIN + OTP. */
export async function requireUser(): Promise<Viewer> {
  const state = await viewerState();
  if (state.status !== "signed_in") leave(state);
  return state.viewer;
}

/**
 * New Account Info, the user's own mailbox and sign-out: open also to the password-only session of
 * a user with no usable token, which can do nothing else.
 */
export async function requireEnrollee(): Promise<Viewer> {
  const state = await viewerState();
  if (state.status !== "signed_in" && state.status !== "enroll_only") leave(state);
  return state.viewer;
}

/** A member of RAS Admins (as SafeNet's directory says now) whose session passed PIN + OTP. */
export async function requireAdmin(): Promise<Viewer> {
  const viewer = await requireUser();
  if (!viewer.isAdmin) redirect("/denied");
  return viewer;
}

/** For route handlers: the viewer, or the Response that refuses the request. */
export async function authorizeRequest(role: "enrollee" | "user" | "admin"): Promise<{ viewer: Viewer } | { refusal: Response }> {
  const state = await viewerState();
  const refuse = (status: number, message: string) =>
    ({ refusal: Response.json({ error: { code: status === 401 ? "unauthorized" : "forbidden", message } }, { status }) }) as const;
  if (state.status === "enroll_only" && role === "enrollee") return { viewer: state.viewer };
  if (state.status === "enroll_only") return refuse(403, "Finish New Account Info and sign in with PIN and one-time password first.");
  if (state.status !== "signed_in") return refuse(401, "Sign in to the portal first.");
  if (role === "admin" && !state.viewer.isAdmin) {
    return refuse(403, "Only administrators signed in with PIN and one-time password may do this.");
  }
  return { viewer: state.viewer };
}
