import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { requireAdmin, requireEnrollee, requireUser, type Viewer } from "@/lib/server/auth/session";
import { echoed, fieldErrorsOf, formValues, isForm, type FormValues } from "@/lib/forms/parse";
import { FIX_FIELDS, type ActionFailure, type FieldErrors } from "@/lib/forms/state";
import { errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";

// The one way to write a server action: authorize → parse → run → say what went wrong.

export type Role = "enrollee" | "user" | "admin";

// Each gate redirects whoever it refuses (lib/auth/session.ts), so nothing after it runs for them.
const GATES: Record<Role, () => Promise<Viewer>> = { enrollee: requireEnrollee, user: requireUser, admin: requireAdmin };

const NO_FIELDS = z.object({});

type FieldName<Z extends z.ZodType> = Extract<keyof z.input<Z>, string>;

export interface ActionContext<Z extends z.ZodType> {
  viewer: Viewer;
  data: z.output<Z>;
  /** The submitted values of the `echo` fields, for a state that shows the form again. */
  echoed: FormValues;
  /** A failure with a sentence, optional sentences per field and the echoed values. */
  fail: (message: string, fieldErrors?: FieldErrors) => ActionFailure;
}

export interface ActionSpec<S, Z extends z.ZodType> {
  /** Who may call it: the role's gate runs before anything reads the input. */
  authorize: Role;
  /** A further refusal of a viewer the role lets in (a sign-in too old to enroll), or null. */
  refuse?: (viewer: Viewer) => S | null;
  /** "form" (the default) parses the submitted FormData; "argument" the first argument a client passes. */
  input?: "form" | "argument";
  schema?: Z;
  /** The fields a failed form shows again. Nothing else is ever sent back: no PIN, passcode or key. */
  echo?: readonly FieldName<Z>[];
  /** Fields the page fills in (a token serial): no field shows their sentence, so it becomes the message. */
  hidden?: readonly FieldName<Z>[];
  /** The answer to input that does not parse, instead of a sentence per field. */
  invalid?: S;
  run: (ctx: ActionContext<Z>) => Promise<S>;
  /** Records what `run` threw and says it in the action's words; without it, errorSentence's words. */
  failed?: (err: unknown, ctx: ActionContext<Z> & { sentence: string }) => S | Promise<S>;
}

/** What the client gets: S itself where S already has a failure like ActionFailure, else S or one. */
export type Outcome<S> = ActionFailure extends S ? S : S | ActionFailure;

export function defineAction<S, Z extends z.ZodType = typeof NO_FIELDS>(
  spec: ActionSpec<S, Z> & { input: "argument" },
): (input: unknown) => Promise<Outcome<S>>;
export function defineAction<S, Z extends z.ZodType = typeof NO_FIELDS>(
  spec: ActionSpec<S, Z> & { input?: "form" },
): (prev: S, form: FormData) => Promise<Outcome<S>>;
export function defineAction<S, Z extends z.ZodType>(spec: ActionSpec<S, Z>) {
  const schema: z.ZodType = spec.schema ?? NO_FIELDS;
  const echo: readonly string[] = spec.echo ?? [];
  return async (...args: unknown[]): Promise<S | ActionFailure> => {
    const viewer = await GATES[spec.authorize]();
    const refusal = spec.refuse?.(viewer);
    if (refusal != null) return refusal;

    const values = spec.input === "argument" ? {} : formValues(args.find(isForm));
    const shown = echoed(values, echo);
    const fail = (message: string, fieldErrors?: FieldErrors): ActionFailure => ({
      status: "error",
      message,
      ...(fieldErrors && { fieldErrors }),
      ...(echo.length > 0 && { values: shown }),
    });
    const parsed = await schema.safeParseAsync(spec.input === "argument" ? args[0] : values);
    if (!parsed.success) return spec.invalid ?? invalidForm(fieldErrorsOf(parsed.error), spec.hidden ?? [], fail);

    const ctx: ActionContext<Z> = { viewer, data: parsed.data as z.output<Z>, echoed: shown, fail };
    try {
      return await spec.run(ctx);
    } catch (err) {
      unstable_rethrow(err);
      return recover(err, ctx, spec.failed);
    }
  };
}

function invalidForm(errors: FieldErrors, hidden: readonly string[], fail: ActionContext<z.ZodType>["fail"]): ActionFailure {
  const formWide = ["form", ...hidden].find((name) => errors[name]);
  return formWide ? fail(errors[formWide]) : fail(FIX_FIELDS, errors);
}

/** A SafeNet error in its own sentence; anything else in a generic one, its details only in the log. */
async function recover<S, Z extends z.ZodType>(err: unknown, ctx: ActionContext<Z>, failed: ActionSpec<S, Z>["failed"]): Promise<S | ActionFailure> {
  if (!isSafeNetError(err)) console.error("A server action failed:", err);
  const sentence = errorSentence(err);
  if (!failed) return ctx.fail(sentence);
  try {
    return await failed(err, { ...ctx, sentence });
  } catch (again) {
    unstable_rethrow(again);
    console.error("A server action failed while recording a failure:", again);
    return ctx.fail(sentence);
  }
}
