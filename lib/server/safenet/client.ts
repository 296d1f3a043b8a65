import "server-only";
import type { z } from "zod";
import { env } from "@/lib/runtime/env";
import {
  authNodeSchema,
  authNodesAnswerSchema,
  authenticateAnswerSchema,
  checkAnswer,
  errorBodySchema,
  eventsPageSchema,
  groupsAnswerSchema,
  policySchema,
  provisionAnswerSchema,
  repositoriesAnswerSchema,
  repositorySchema,
  repositorySummarySchema,
  repositoryTestAnswerSchema,
  SafeNetError,
  tokenSchema,
  tokensPageSchema,
  userSchema,
  usersPageSchema,
  validationAnswerSchema,
  type AuthenticateRequest,
  type CreateAuthNodeRequest,
  type CreateLdapRepositoryRequest,
  type patchLdapRepositoryRequestSchema,
  type testLdapRepositoryRequestSchema,
  type Policy,
  type ProvisionRequest,
  type Token,
  type TokenState,
  type User,
  type ValidationRequest,
} from "@/lib/safenet/contract";
import { remainingBudget } from "./deadline";

// The portal's only way into SafeNet: HTTP to the TMS Web API and the OTP service. It never opens
// the simulator's database, so pointing the URLs at another SafeNet works unchanged. Every answer is
// checked against the contract, so a wrong one fails here, as a SafeNetError, and not later.

interface Init {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

/** Where a call goes (`path`) and how its errors name it (`label`, without ids or query). */
interface Target {
  path: string;
  label: string;
}

const timeoutError = () => new SafeNetError(503, "timeout", "SafeNet did not answer in time. Try again in a moment.");
const isTimeout = (err: unknown) => err instanceof Error && err.name === "TimeoutError";

function badAnswer(endpoint: string, what: string): SafeNetError {
  return new SafeNetError(
    502,
    "bad_answer",
    `SafeNet's answer to ${endpoint} ${what}. Check that the service URLs under Multi-factor authentication point to SafeNet.`,
    { endpoint },
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** One HTTP call whose answer must match `schema` (null: the answer carries nothing to read). */
async function call<T>(endpoint: string, url: string, schema: z.ZodType<T> | null, init: Init = {}): Promise<T> {
  const { json, headers, method } = init;
  // The request's SafeNet budget is shared by its calls: a second call after a hung first one gives up at once.
  const budget = await remainingBudget();
  if (budget === 0) throw timeoutError();
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      cache: "no-store",
      signal: AbortSignal.timeout(budget),
      headers: { ...(json !== undefined && { "content-type": "application/json" }), ...headers },
      ...(json !== undefined && { body: JSON.stringify(json) }),
    });
  } catch (err) {
    if (isTimeout(err)) throw timeoutError();
    throw new SafeNetError(503, "unreachable", "SafeNet cannot be reached. Check the service URLs under Multi-factor authentication.");
  }
  try {
    text = await res.text();
  } catch (err) {
    if (isTimeout(err)) throw timeoutError();
    throw badAnswer(endpoint, "was cut off before its end");
  }
  const body = text.trim() === "" ? null : parseJson(text);

  if (!res.ok) {
    const error = body?.ok ? errorBodySchema.safeParse(body.value) : null;
    if (error?.success) throw new SafeNetError(res.status, error.data.error.code, error.data.error.message, error.data.error.details);
    throw new SafeNetError(res.status, "http_error", `SafeNet answered HTTP ${res.status} to ${endpoint}.`);
  }
  if (schema === null) return undefined as T;
  if (body === null) throw badAnswer(endpoint, `was empty (HTTP ${res.status})`);
  if (!body.ok) {
    const html = /html/i.test(res.headers.get("content-type") ?? "") ? " (an HTML page, perhaps from a proxy)" : "";
    throw badAnswer(endpoint, `is not JSON${html}`);
  }
  const checked = checkAnswer(schema, body.value);
  if (!checked.ok) throw badAnswer(endpoint, `does not match the SafeNet contract: ${checked.problems}`);
  return checked.data;
}

export interface SafeNetEndpoints {
  tmsUrl: string;
  otpServiceUrl: string;
  repository: string;
}

/** A client bound to the configured URLs and the keys from the environment. */
export function safenetClient(endpoints: SafeNetEndpoints) {
  const base = endpoints.tmsUrl.replace(/\/+$/, "");
  const tms = <T>(schema: z.ZodType<T> | null, target: Target, init: Init = {}) =>
    call(`${init.method ?? "GET"} ${target.label}`, base + target.path, schema, {
      ...init,
      headers: { authorization: `Bearer ${env().SAFENET_TMS_API_KEY}`, ...init.headers },
    });
  const post = <T>(schema: z.ZodType<T>, target: Target, json: unknown = {}) => tms(schema, target, { method: "POST", json });

  const repo = `/repositories/${encodeURIComponent(endpoints.repository)}`;
  const inRepo = (tail: string, query = ""): Target => ({ path: `${repo}${tail}${query}`, label: `/repositories/{repo}${tail}` });
  const user = (upn: string, tail = ""): Target => ({ path: `${repo}/users/${encodeURIComponent(upn)}${tail}`, label: `/repositories/{repo}/users/{upn}${tail}` });
  const token = (serial: string, tail = ""): Target => ({ path: `/tokens/${encodeURIComponent(serial)}${tail}`, label: `/tokens/{serial}${tail}` });
  const fixed = (path: string, query = ""): Target => ({ path: path + query, label: path });
  const namedRepo = (name: string): Target => ({ path: `/repositories/${encodeURIComponent(name)}`, label: "/repositories/{name}" });

  return {
    /** The user, or null for a wrong name or password (SafeNet does not say which). */
    async authenticate(username: string, password: string): Promise<User | null> {
      try {
        const body: AuthenticateRequest = { username, password };
        return (await post(authenticateAnswerSchema, inRepo("/authenticate"), body)).user;
      } catch (err) {
        if (err instanceof SafeNetError && err.status === 401 && err.code === "invalid_credentials") return null;
        throw err;
      }
    },
    getUser: (upn: string) => tms(userSchema, user(upn)),
    listUsers: (q: { search?: string; group?: string; limit?: number; cursor?: string }) => tms(usersPageSchema, inRepo("/users", `?${query(q)}`)),
    groups: () => tms(groupsAnswerSchema, inRepo("/groups")),
    /** Counts for the admin overview in one request (an addition to the contract). */
    summary: () => tms(repositorySummarySchema, inRepo("/summary")),
    listTokens: (q: { state?: TokenState; user?: string; limit?: number; cursor?: string }) => tms(tokensPageSchema, fixed("/tokens", `?${query(q)}`)),
    /** Creates the user's SafeNet account (nothing happens when it exists). */
    createAccount: (upn: string) => tms(userSchema, user(upn, "/account"), { method: "PUT", json: {} }),
    repositories: () => tms(repositoriesAnswerSchema, fixed("/repositories")),
    provision: (upn: string, body: ProvisionRequest) => post(provisionAnswerSchema, user(upn, "/tokens"), body),
    getToken: (serial: string) => tms(tokenSchema, token(serial)),
    deleteToken: (serial: string): Promise<void> => tms(null, token(serial), { method: "DELETE" }),
    tokenAction: (serial: string, action: "suspend" | "reactivate" | "unlock" | "revoke") => post(tokenSchema, token(serial, `/${action}`)),
    activate: (serial: string, passcode: string) => post(tokenSchema, token(serial, "/activate"), { passcode }),
    resync: (serial: string, otp1: string, otp2: string) => post(tokenSchema, token(serial, "/resync"), { otp1, otp2 }),
    setPin: (serial: string, pin: string) => post(tokenSchema, token(serial, "/pin"), { pin }),
    reissue: (serial: string, pin?: string) => post(provisionAnswerSchema, token(serial, "/reissue"), pin ? { pin } : {}),
    policy: () => tms(policySchema, fixed("/policy")),
    setPolicy: (p: Partial<Policy>) => tms(policySchema, fixed("/policy"), { method: "PUT", json: p }),
    events: (after: number, limit = 1000) => tms(eventsPageSchema, fixed("/events", `?${query({ after, limit })}`)),
    // Auth nodes (contract v2): the secret goes in with createAuthNode and never comes back.
    listAuthNodes: async () => (await tms(authNodesAnswerSchema, fixed("/authnodes"))).authNodes,
    createAuthNode: (body: CreateAuthNodeRequest) => post(authNodeSchema, fixed("/authnodes"), body),
    deleteAuthNode: (id: string): Promise<void> => tms(null, { path: `/authnodes/${encodeURIComponent(id)}`, label: "/authnodes/{id}" }, { method: "DELETE" }),
    // LDAP repositories (contract v2). The bind password rides only on this client, which speaks to the
    // saved TMS URL with the saved key: a credential goes only to the URL it was saved for.
    createRepository: (body: CreateLdapRepositoryRequest) => post(repositorySchema, fixed("/repositories"), body),
    patchRepository: (name: string, body: z.input<typeof patchLdapRepositoryRequestSchema>) =>
      tms(repositorySchema, namedRepo(name), { method: "PATCH", json: body }),
    deleteRepository: (name: string): Promise<void> => tms(null, namedRepo(name), { method: "DELETE" }),
    testRepository: (body: z.input<typeof testLdapRepositoryRequestSchema>) => post(repositoryTestAnswerSchema, fixed("/repositories/test"), body),
    validate: (body: Omit<ValidationRequest, "organization">) =>
      call("POST to the OTP Service URL", endpoints.otpServiceUrl, validationAnswerSchema, {
        method: "POST",
        json: { ...body, organization: endpoints.repository },
        headers: { "x-agent-key": env().SAFENET_AGENT_KEY },
      }),
  };
}

export type SafeNetClient = ReturnType<typeof safenetClient>;

function query(q: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== "") params.set(k, String(v));
  return params.toString();
}
