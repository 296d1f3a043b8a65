import { env } from "@/lib/runtime/env";
import { remainingBudget } from "./deadline";

// The portal's only way into SafeNet: HTTP to the TMS Web API and the OTP service. It never opens
// the simulator's database, so pointing the URLs at another SafeNet works unchanged.

export class SafeNetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export type TokenState = "Inventory" | "Assigned" | "Active" | "Suspended" | "Locked" | "Lost";

export interface SafeNetToken {
  serial: string;
  type: string;
  otpMode: "time" | "event";
  otpLength: number;
  state: TokenState;
  user: string | null;
  failCount: number;
  lockedUntil: string | null;
  createdAt: string;
  activatedAt: string | null;
  lastUsedAt: string | null;
}

export interface SafeNetUser {
  upn: string;
  displayName: string;
  email: string;
  groups: string[];
  safenetAccount: boolean;
  tokens: SafeNetToken[];
}

export interface Activation {
  activationKey: string;
  seedFile: { filename: string; contentType: string; base64: string };
  otpauthUri: string;
  downloadUrl: string;
}

export interface SafeNetPolicy {
  lockThreshold: number;
  lockDurationSeconds: number;
  pinMode: "server" | "token";
  pinPosition: "prefix" | "suffix";
  pinMinLength: number;
  pinMaxLength: number;
  otpLength: number;
  timeStepSeconds: number;
  timeDriftSteps: number;
  lookAheadWindow: number;
  outerWindow: number;
}

export interface SafeNetEvent {
  id: number;
  at: string;
  type: string;
  user: string | null;
  serial: string | null;
  result: string;
  code: number | null;
  reason: string | null;
  clientIp: string | null;
  detail: Record<string, unknown> | null;
}

export interface ValidationAnswer {
  code: 0 | 1 | 5;
  result: "AUTH_FAILURE" | "AUTH_SUCCESS" | "OUTER_WINDOW_AUTH";
  message: string;
  serial?: string;
  reason?: string;
  state?: string;
}

async function call<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  // The request's SafeNet budget is shared by its calls: a second call after a hung first one gives up at once.
  const budget = await remainingBudget();
  if (budget === 0) throw timeoutError();
  let res: Response;
  try {
    res = await fetch(url, {
      ...rest,
      cache: "no-store",
      signal: AbortSignal.timeout(budget),
      headers: { ...(json !== undefined && { "content-type": "application/json" }), ...(headers as Record<string, string>) },
      ...(json !== undefined && { body: JSON.stringify(json) }),
    });
  } catch (err) {
    if (err instanceof Error && err.name === "TimeoutError") throw timeoutError();
    throw new SafeNetError(503, "unreachable", "SafeNet cannot be reached. Check the service URLs under Multi-factor authentication.");
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
  if (!res.ok) {
    throw new SafeNetError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? `SafeNet answered HTTP ${res.status}.`, body?.error?.details);
  }
  return body as T;
}

const timeoutError = () => new SafeNetError(503, "timeout", "SafeNet did not answer in time. Try again in a moment.");

export interface SafeNetEndpoints {
  tmsUrl: string;
  otpServiceUrl: string;
  repository: string;
}

/** A client bound to the configured URLs and the keys from the environment. */
export function safenetClient(endpoints: SafeNetEndpoints) {
  const tms = <T>(path: string, init: RequestInit & { json?: unknown } = {}) =>
    call<T>(endpoints.tmsUrl.replace(/\/+$/, "") + path, {
      ...init,
      headers: { authorization: `Bearer ${env().SAFENET_TMS_API_KEY}`, ...(init.headers as Record<string, string>) },
    });
  const repo = `/repositories/${encodeURIComponent(endpoints.repository)}`;
  const user = (upn: string) => `${repo}/users/${encodeURIComponent(upn)}`;
  const token = (serial: string) => `/tokens/${encodeURIComponent(serial)}`;
  const post = <T>(path: string, json: unknown = {}) => tms<T>(path, { method: "POST", json });

  return {
    /** The user, or null for a wrong name or password (SafeNet does not say which). */
    async authenticate(username: string, password: string): Promise<SafeNetUser | null> {
      try {
        return (await post<{ user: SafeNetUser }>(`${repo}/authenticate`, { username, password })).user;
      } catch (err) {
        if (err instanceof SafeNetError && err.status === 401 && err.code === "invalid_credentials") return null;
        throw err;
      }
    },
    getUser: (upn: string) => tms<SafeNetUser>(user(upn)),
    listUsers: (q: { search?: string; limit?: number; cursor?: string }) =>
      tms<{ users: SafeNetUser[]; nextCursor: string | null }>(`${repo}/users?${query(q)}`),
    groups: () => tms<{ groups: { name: string; members: number }[] }>(`${repo}/groups`),
    repositories: () => tms<{ repositories: { name: string; kind: string; users: number }[] }>("/repositories"),
    provision: (upn: string, body: { type: "MobilePASS"; otpMode: "time" | "event"; pin?: string; email?: string }) =>
      post<{ token: SafeNetToken; activation: Activation }>(`${user(upn)}/tokens`, body),
    getToken: (serial: string) => tms<SafeNetToken>(token(serial)),
    deleteToken: (serial: string) => tms<void>(token(serial), { method: "DELETE" }),
    tokenAction: (serial: string, action: "suspend" | "reactivate" | "unlock" | "revoke") => post<SafeNetToken>(`${token(serial)}/${action}`),
    activate: (serial: string, passcode: string) => post<SafeNetToken>(`${token(serial)}/activate`, { passcode }),
    resync: (serial: string, otp1: string, otp2: string) => post<SafeNetToken>(`${token(serial)}/resync`, { otp1, otp2 }),
    setPin: (serial: string, pin: string) => post<SafeNetToken>(`${token(serial)}/pin`, { pin }),
    reissue: (serial: string, pin?: string) => post<{ token: SafeNetToken; activation: Activation }>(`${token(serial)}/reissue`, pin ? { pin } : {}),
    policy: () => tms<SafeNetPolicy>("/policy"),
    setPolicy: (p: Partial<SafeNetPolicy>) => tms<SafeNetPolicy>("/policy", { method: "PUT", json: p }),
    events: (after: number, limit = 1000) => tms<{ events: SafeNetEvent[]; nextCursor: string | null }>(`/events?${query({ after, limit })}`),
    validate: (body: { username: string; passcode: string; state?: string; clientIp?: string }) =>
      call<ValidationAnswer>(endpoints.otpServiceUrl, {
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
