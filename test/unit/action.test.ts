import { redirect } from "next/navigation";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { ActionState } from "../../lib/forms/state";
import { SafeNetError } from "../../lib/safenet/contract";

// The session module reads cookies and the database; here each gate is a switch the test sets.
const gate = vi.hoisted(() => ({ refuse: false }));
vi.mock("@/lib/server/auth/session", () => {
  const viewer = { upn: "alice@corp.local", authAt: 0 };
  const require = (to: string) => async () => (gate.refuse ? redirect(to) : viewer);
  return { requireUser: require("/login"), requireEnrollee: require("/login"), requireAdmin: require("/denied") };
});

const { defineAction } = await import("../../lib/server/action");

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

const IDLE: ActionState = { status: "idle" };
const schema = z.object({
  email: z.email("Enter an email address.").prefault(""),
  pin: z.string().regex(/^[0-9]{4}$/, "Enter 4 digits.").prefault(""),
  digits: z.string().prefault(""),
});
const good = { email: "alice@corp.local", pin: "4089", digits: "51204089" };

beforeEach(() => {
  gate.refuse = false;
  vi.restoreAllMocks();
});

describe("a server action", () => {
  it("refuses before it reads the form or runs", async () => {
    gate.refuse = true;
    const parse = vi.fn(() => true);
    const run = vi.fn(async (): Promise<ActionState> => ({ status: "success", message: "done" }));
    const action = defineAction({ authorize: "admin", schema: z.unknown().refine(parse), run });
    await expect(action(IDLE, form(good))).rejects.toMatchObject({ digest: expect.stringContaining("/denied") });
    expect(parse).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it("answers with the action's own refusal of a viewer the role lets in, before the form is read", async () => {
    const refusal: ActionState = { status: "error", message: "Sign in again." };
    const run = vi.fn(async (): Promise<ActionState> => IDLE);
    const action = defineAction({ authorize: "enrollee", refuse: () => refusal, schema, run });
    expect(await action(IDLE, form({}))).toBe(refusal);
    expect(run).not.toHaveBeenCalled();
  });

  it("runs with the parsed form and the viewer", async () => {
    const action = defineAction({
      authorize: "user",
      schema,
      run: async ({ viewer, data }): Promise<ActionState> => ({ status: "success", message: `${viewer.upn} ${data.email}` }),
    });
    expect(await action(IDLE, form(good))).toEqual({ status: "success", message: "alice@corp.local alice@corp.local" });
  });

  it("answers a bad form with a sentence per field and only the echoed values", async () => {
    const action = defineAction({ authorize: "user", schema, echo: ["email"], run: async (): Promise<ActionState> => IDLE });
    expect(await action(IDLE, form({ email: "nope", pin: "12", digits: "51204089" }))).toEqual({
      status: "error",
      message: "Some fields need attention: see the messages next to them.",
      fieldErrors: { email: "Enter an email address.", pin: "Enter 4 digits." },
      values: { email: "nope" },
    });
  });

  it("reads anything but FormData as an empty form", async () => {
    const action = defineAction({ authorize: "user", schema, run: async (): Promise<ActionState> => IDLE });
    for (const input of [undefined, "email=alice@corp.local", [good]]) {
      expect(await action(IDLE, input as unknown as FormData)).toMatchObject({ status: "error", fieldErrors: { email: "Enter an email address." } });
    }
  });

  it("makes a hidden field's problem the message, as no field shows it", async () => {
    const action = defineAction({
      authorize: "user",
      schema: z.object({ serial: z.string().min(1, "Reload the page.").prefault(""), pin: schema.shape.pin }),
      hidden: ["serial"],
      run: async (): Promise<ActionState> => IDLE,
    });
    expect(await action(IDLE, form({ pin: "12" }))).toEqual({ status: "error", message: "Reload the page." });
  });

  it("echoes only the listed fields from a failure the run reports", async () => {
    const action = defineAction({
      authorize: "user",
      schema,
      echo: ["email"],
      run: async ({ fail }): Promise<ActionState> => fail("Not accepted.", { pin: "Wrong PIN." }),
    });
    expect(await action(IDLE, form(good))).toEqual({ status: "error", message: "Not accepted.", fieldErrors: { pin: "Wrong PIN." }, values: { email: good.email } });
  });

  it("says a SafeNet error in its own sentence", async () => {
    const action = defineAction({
      authorize: "admin",
      schema,
      run: async (): Promise<ActionState> => {
        throw new SafeNetError(429, "rate_limited", "Too many requests.");
      },
    });
    expect(await action(IDLE, form(good))).toEqual({ status: "error", message: "SafeNet is busy and asked the portal to slow down. Wait a moment and try again." });
  });

  it("lets the action record a failure and say it in its words", async () => {
    const recorded: unknown[] = [];
    const action = defineAction({
      authorize: "admin",
      schema,
      echo: ["email"],
      run: async (): Promise<ActionState> => {
        throw new SafeNetError(400, "bad_request", "The PIN is too short.", { pin: "too short" });
      },
      failed: async (err, { data, sentence, fail }) => {
        recorded.push({ err, user: data.email });
        return fail(sentence, { pin: sentence });
      },
    });
    expect(await action(IDLE, form(good))).toEqual({
      status: "error",
      message: "The PIN is too short.",
      fieldErrors: { pin: "The PIN is too short." },
      values: { email: good.email },
    });
    expect(recorded).toHaveLength(1);
  });

  it("answers an unexpected error with a generic sentence: no message, stack or input leaks", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const action = defineAction({
      authorize: "user",
      schema,
      echo: ["email"],
      run: async ({ data }): Promise<ActionState> => {
        throw new Error(`SQLITE_CORRUPT at /srv/portal/data/portal.db while saving pin ${data.pin} and ${data.digits}`);
      },
    });
    const answer = await action(IDLE, form(good));
    expect(answer).toEqual({
      status: "error",
      message: "The portal could not finish this. Try again; if it keeps failing, check the portal's log.",
      values: { email: good.email },
    });
    for (const leak of ["SQLITE", "/srv", "4089", "51204089", "at "]) expect(JSON.stringify(answer)).not.toContain(leak);
    expect(log).toHaveBeenCalledOnce();
  });

  it("still redirects when the run redirects", async () => {
    const action = defineAction({ authorize: "enrollee", run: async (): Promise<ActionState> => redirect("/token") });
    await expect(action(IDLE, form({}))).rejects.toMatchObject({ digest: expect.stringContaining("/token") });
  });

  it("parses the first argument as it is, for an action a client calls with a value", async () => {
    const action = defineAction({
      authorize: "admin",
      input: "argument",
      schema: z.unknown().transform((v) => (typeof v === "string" ? v : "")),
      run: async ({ data }) => ({ ok: true as const, url: data }),
    });
    expect(await action("http://safenet.example.com")).toEqual({ ok: true, url: "http://safenet.example.com" });
    expect(await action(["http://x"])).toEqual({ ok: true, url: "" });
  });
});
