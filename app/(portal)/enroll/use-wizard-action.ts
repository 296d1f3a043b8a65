"use client";

import { useActionState } from "react";
import type { WizardResult } from "./actions";

type Issued = Extract<WizardResult, { status: "issued" }>;
type Activated = Extract<WizardResult, { status: "activated" }>;
type Moved = Extract<WizardResult, { status: "moved" }>;

const IDLE: WizardResult = { status: "idle" };

/** A wizard step's server action, telling the wizard what happened so it can change step. */
export function useWizardAction(
  action: (prev: WizardResult, form: FormData) => Promise<WizardResult>,
  on: { issued?: (r: Issued) => void; activated?: (r: Activated) => void; moved: (r: Moved) => void; reauth: () => void },
) {
  return useActionState(async (prev: WizardResult, form: FormData): Promise<WizardResult> => {
    const result = await action(prev, form);
    if (result.status === "issued") on.issued?.(result);
    if (result.status === "activated") on.activated?.(result);
    if (result.status === "moved") on.moved(result);
    if (result.status === "error" && result.reauth) on.reauth();
    return result;
  }, IDLE);
}
