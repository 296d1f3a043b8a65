import type { z } from "zod";
import {
  authenticateAnswerSchema,
  checkAnswer,
  errorBodySchema,
  eventsPageSchema,
  groupsAnswerSchema,
  importAnswerSchema,
  mailboxAnswerSchema,
  mailboxClearedSchema,
  policySchema,
  provisionAnswerSchema,
  repositoriesAnswerSchema,
  repositorySchema,
  repositorySummarySchema,
  repositoryTestAnswerSchema,
  serviceStatusSchema,
  tokenSchema,
  tokensPageSchema,
  userSchema,
  usersPageSchema,
  validationAnswerSchema,
} from "../../../lib/safenet/contract";

// Every answer the simulator gives the integration tests is held to the contract: a JSON answer
// must match its endpoint's schema, an error the contract's error body. A test that talks to the
// simulator through the harness cannot pass on an answer the portal's client would refuse.

/** "json": the answer's schema; "empty": 204 with no body; "bytes" / "redirect": not JSON by design. */
type Answer = z.ZodType | "empty" | "bytes" | "redirect";

export interface ContractRoute {
  method: string;
  path: RegExp;
  answer: Answer;
  /** How the route is named in failures and in the coverage list. */
  name: string;
}

const seg = "[^/]+";
const TMS = "/TMSWebAPI/v1";
const USER = `${TMS}/repositories/${seg}/users/${seg}`;
const TOKEN = `${TMS}/tokens/${seg}`;
const route = (method: string, path: string, answer: Answer, name = `${method} ${path.replaceAll(seg, "…")}`): ContractRoute => ({
  method,
  path: new RegExp(`^${path}$`),
  answer,
  name,
});

export const CONTRACT_ROUTES: readonly ContractRoute[] = [
  route("GET", "/health", serviceStatusSchema),
  route("GET", "/TokenValidator/TokenValidator.asmx", serviceStatusSchema),
  route("POST", "/TokenValidator/TokenValidator.asmx", validationAnswerSchema),
  route("GET", "/TMSService/ClientDownload/MobilePASSWin.exe", "redirect"),
  route("GET", TMS, serviceStatusSchema),
  route("GET", `${TMS}/repositories`, repositoriesAnswerSchema),
  route("POST", `${TMS}/repositories`, repositorySchema),
  route("POST", `${TMS}/repositories/test`, repositoryTestAnswerSchema),
  route("PATCH", `${TMS}/repositories/${seg}`, repositorySchema),
  route("DELETE", `${TMS}/repositories/${seg}`, "empty"),
  route("POST", `${TMS}/repositories/${seg}/authenticate`, authenticateAnswerSchema),
  route("GET", `${TMS}/repositories/${seg}/users`, usersPageSchema),
  route("POST", `${TMS}/repositories/${seg}/users`, userSchema),
  route("GET", `${TMS}/repositories/${seg}/groups`, groupsAnswerSchema),
  route("GET", `${TMS}/repositories/${seg}/summary`, repositorySummarySchema),
  route("GET", USER, userSchema),
  route("PATCH", USER, userSchema),
  route("PUT", `${USER}/account`, userSchema),
  route("DELETE", `${USER}/account`, userSchema),
  route("POST", `${USER}/tokens`, provisionAnswerSchema),
  route("GET", `${TMS}/tokens`, tokensPageSchema),
  route("POST", `${TMS}/tokens/import`, importAnswerSchema),
  route("GET", TOKEN, tokenSchema),
  route("DELETE", TOKEN, "empty"),
  ...["activate", "suspend", "reactivate", "unlock", "revoke", "resync", "pin"].map((a) => route("POST", `${TOKEN}/${a}`, tokenSchema)),
  route("POST", `${TOKEN}/reissue`, provisionAnswerSchema),
  route("GET", `${TMS}/policy`, policySchema),
  route("PUT", `${TMS}/policy`, policySchema),
  route("GET", `${TMS}/events`, eventsPageSchema),
  route("GET", "/mailbox/messages", mailboxAnswerSchema),
  route("DELETE", "/mailbox/messages", mailboxClearedSchema),
  route("GET", `/mailbox/messages/${seg}/attachments/${seg}`, "bytes"),
];

// The simulator's error bodies hold these keys and no others (the portal's client tolerates more).
const exactErrorBody = errorBodySchema.extend({ error: errorBodySchema.shape.error.strict() }).strict();

/** The routes whose success answers this process has checked so far. */
export const checkedRoutes = new Set<string>();

const isJson = (res: Response) => /^application\/json\b/i.test(res.headers.get("content-type") ?? "");

/** Throws when the answer to `method url` breaks the contract; records the route it checked. */
export async function assertContractAnswer(method: string, url: string, res: Response): Promise<void> {
  if (method === "HEAD") return;
  const path = new URL(url).pathname;
  const where = `The simulator's answer to ${method} ${path} (HTTP ${res.status})`;
  const text = await res.clone().text();
  const json = () => {
    if (!isJson(res)) throw new Error(`${where} is not JSON (${res.headers.get("content-type") ?? "no content type"}).`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${where} does not parse as JSON.`);
    }
  };
  const holds = (schema: z.ZodType) => {
    const checked = checkAnswer(schema, json());
    if (!checked.ok) throw new Error(`${where} breaks the contract: ${checked.problems}.`);
  };

  if (res.status >= 400) return holds(exactErrorBody);
  const found = CONTRACT_ROUTES.find((r) => r.method === method && r.path.test(path));
  if (!found) throw new Error(`${where} comes from a route that CONTRACT_ROUTES does not list: add it with its schema.`);
  if (found.answer === "empty") {
    if (res.status !== 204 || text !== "") throw new Error(`${where} should be 204 with no body.`);
  } else if (found.answer === "redirect") {
    if (res.status < 300 || res.status >= 400 || !res.headers.get("location")) throw new Error(`${where} should be a redirect.`);
  } else if (found.answer !== "bytes") {
    holds(found.answer);
  }
  checkedRoutes.add(found.name);
}

/** fetch, with the answer held to the contract before the caller sees it. */
export async function contractFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  await assertContractAnswer((init.method ?? "GET").toUpperCase(), url, res);
  return res;
}
