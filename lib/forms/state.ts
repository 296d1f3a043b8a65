// The status union every server action answers with. Pure: client forms read it too.

export type FieldErrors = Record<string, string>;

/** What a refused or failed form gets back: a sentence, one per field, and the input it may show again. */
export type ActionFailure = { status: "error"; message: string; fieldErrors?: FieldErrors; values?: Record<string, string> };

export type ActionState = { status: "idle" } | { status: "success"; message: string } | ActionFailure;

export const IDLE: ActionState = { status: "idle" };

export const FIX_FIELDS = "Some fields need attention: see the messages next to them.";
