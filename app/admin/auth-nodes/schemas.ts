import { z } from "zod";
import type { ActionFailure, ActionState } from "@/lib/forms/state";
import { RADIUS_SECRET_LIMITS } from "@/lib/safenet/contract/authnodes";
import { parseNodeAddress } from "@/lib/radius/node-address";

// Form schemas and answers of the auth nodes page (a "use server" file may only export async functions).

export { SECRET_HINT } from "./hints";

export const addAuthNodeSchema = z.object({
  name: z.string().trim().min(1, "Enter a name for the node, such as vpn-gateway-1.").max(64, "Use at most 64 characters for the name.").prefault(""),
  address: z
    .string()
    .trim()
    .prefault("")
    .transform((text, ctx) => {
      if (text === "") {
        ctx.addIssue({ code: "custom", message: "Enter the node's IP address (192.0.2.10) or network (192.0.2.0/24)." });
        return "";
      }
      const parsed = parseNodeAddress(text);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
      return parsed.ok ? parsed.value.normalized : "";
    }),
  secret: z
    .string()
    .prefault("")
    .refine((s) => s === "" || (s.length >= RADIUS_SECRET_LIMITS.min && s.length <= RADIUS_SECRET_LIMITS.max), {
      message: `Use ${RADIUS_SECRET_LIMITS.min} to ${RADIUS_SECRET_LIMITS.max} characters for the secret, or leave it empty to have one made.`,
    })
    .refine((s) => s === "" || /^[\x21-\x7e]+$/.test(s), { message: "Use printable characters without spaces in the secret, or leave it empty to have one made." }),
  requireMessageAuthenticator: z.literal("on").optional(),
  stepUpPasscode: z.string().prefault(""),
});

export const removeAuthNodeSchema = z.object({
  id: z.string().min(1, "Choose the node to remove.").max(64, "Choose the node to remove."),
  stepUpPasscode: z.string().prefault(""),
});

/** After an add: the secret, this once (the page never shows it again). */
export type AddState = ActionState | { status: "added"; message: string; name: string; address: string; secret: string };

export type RemoveState = ActionState | (ActionFailure & { id?: string });
