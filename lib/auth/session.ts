import { getServerSession, type Session } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { sessionVersion } from "@/db/queries/sessions";
import { authOptions } from "./options";

// The data-access layer's gate: every page, server action and route handler calls one of these
// itself. The proxy only redirects; it decides nothing.

export type Viewer = Session["user"];

export type ViewerState =
  | { status: "anonymous" }
  | { status: "expired" }
  | { status: "otp_pending"; viewer: Viewer }
  | { status: "signed_in"; viewer: Viewer };

export const viewerState = cache(async (): Promise<ViewerState> => {
  const session = await getServerSession(authOptions);
  const viewer = session?.user;
  if (!viewer?.upn) return { status: "anonymous" };
  if (viewer.sv !== sessionVersion(viewer.upn)) return { status: "expired" };
  if (viewer.mfa === "pending") return { status: "otp_pending", viewer };
  return { status: "signed_in", viewer };
});

/** A fully signed-in user (password, and PIN + OTP when the user has an Active token). */
export async function requireUser(): Promise<Viewer> {
  const state = await viewerState();
  if (state.status === "anonymous") redirect("/login");
  if (state.status === "expired") redirect("/login?expired=1");
  if (state.status === "otp_pending") redirect("/login/otp");
  return state.viewer;
}

/** A member of RAS Admins whose session passed PIN + OTP; an admin without a token enrolls first. */
export async function requireAdmin(): Promise<Viewer> {
  const viewer = await requireUser();
  if (!viewer.isAdmin) redirect("/denied");
  if (viewer.mfa !== "done") redirect("/enroll?reason=admin");
  return viewer;
}

/** For route handlers: the viewer, or the Response that refuses the request. */
export async function authorizeRequest(role: "user" | "admin"): Promise<{ viewer: Viewer } | { refusal: Response }> {
  const state = await viewerState();
  const refuse = (status: number, message: string) =>
    ({ refusal: Response.json({ error: { code: status === 401 ? "unauthorized" : "forbidden", message } }, { status }) }) as const;
  if (state.status !== "signed_in") return refuse(401, "Sign in to the portal first.");
  if (role === "admin" && (!state.viewer.isAdmin || state.viewer.mfa !== "done")) {
    return refuse(403, "Only administrators signed in with PIN and one-time password may do this.");
  }
  return { viewer: state.viewer };
}
