import { ADMIT_DEFAULT_MINUTES, ADMIT_MAX_MINUTES } from "../db/queries/break-glass-limits";
import { env } from "../lib/runtime/env";

// `npm run break-glass -- reset-safenet | admit <upn> [--minutes N]`, for the host's operator when
// SafeNet cannot be reached from the portal (modelled on Keycloak's bootstrap-admin). It opens the
// portal database (DATA_DIR's file, or DATABASE_URL's PostgreSQL) directly, so it works while nobody can sign in.

const USAGE = `Usage: npm run break-glass -- reset-safenet
       npm run break-glass -- admit <user@domain> [--minutes N]   (N from 1 to ${ADMIT_MAX_MINUTES}, default ${ADMIT_DEFAULT_MINUTES})`;
const ACTOR = "break-glass (host operator)";
const ADMIN_GROUP = "RAS Admins";

class Refusal extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const refuse = (sentence: string): never => {
  throw new Refusal(`${sentence}\n${USAGE}`, 2);
};

function parseAdmit(args: string[]): { upn: string; minutes: number } {
  const [upn, ...rest] = args;
  if (!upn || upn.startsWith("-")) refuse("Name the user to admit, for example: admit bob@corp.local.");
  if (!/^[^@\s\\]+@[^@\s]+$/.test(upn)) refuse(`“${upn}” is not a user name of the form user@domain: give the full name, such as bob@corp.local.`);
  let minutes = ADMIT_DEFAULT_MINUTES;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] !== "--minutes") refuse(`“${rest[i]}” is not an option of admit: the only one is --minutes N.`);
    const text = rest[++i] ?? "";
    minutes = Number(text);
    if (!/^\d+$/.test(text) || minutes < 1 || minutes > ADMIT_MAX_MINUTES) {
      refuse(`--minutes takes a whole number of minutes from 1 to ${ADMIT_MAX_MINUTES}, not “${text}”.`);
    }
  }
  return { upn: upn.toLowerCase(), minutes };
}

/** The user as the saved TMS Web API knows it: admit only someone in the directory and in RAS Admins. */
async function directoryUser(tmsUrl: string, repository: string, upn: string): Promise<{ upn: string; groups: string[] }> {
  const url = `${tmsUrl.replace(/\/+$/, "")}/repositories/${encodeURIComponent(repository)}/users/${encodeURIComponent(upn)}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${env().SAFENET_TMS_API_KEY}` }, signal: AbortSignal.timeout(5000) });
  } catch {
    throw new Refusal(`The TMS Web API at ${tmsUrl} did not answer, so ${upn} cannot be looked up; the password check needs it too. Run reset-safenet first if that URL is wrong.`, 1);
  }
  if (res.status === 404) refuse(`The repository ${repository} has no user ${upn}: check the spelling.`);
  if (!res.ok) throw new Refusal(`The TMS Web API answered HTTP ${res.status} when asked for ${upn}: check SAFENET_TMS_API_KEY and the TMS URL.`, 1);
  const user = (await res.json()) as { upn?: string; groups?: string[] };
  const groups = Array.isArray(user.groups) ? user.groups : [];
  if (!groups.includes(ADMIN_GROUP)) refuse(`${upn} is not in ${ADMIN_GROUP}, so the admin console would refuse them anyway: admit an administrator.`);
  return { upn: user.upn ?? upn, groups };
}

async function main(argv: string[]): Promise<string> {
  const [command, ...args] = argv;
  if (command !== "reset-safenet" && command !== "admit") refuse(command ? `“${command}” is not a break-glass command.` : "Name a command.");
  if (command === "reset-safenet" && args.length > 0) refuse("reset-safenet takes no arguments.");
  const admit = command === "admit" ? parseAdmit(args) : null;

  // The database layer loads only once the command line is sound: a mistyped command answers at once.
  const [{ openPortalDb, portalTarget }, { grantAdmission }, { recordEvent }, { getMfaSettings, saveMfaSettings }, { defaultMfaSettings }] = await Promise.all([
    import("../db"),
    import("../db/queries/break-glass"),
    import("../db/queries/events"),
    import("../db/queries/settings"),
    import("../lib/mfa/settings"),
  ]);
  const db = openPortalDb(portalTarget(), { mustExist: true });
  try {
    const defaults = defaultMfaSettings(env().SAFENET_URL);
    const saved = await getMfaSettings(db, defaults);
    if (!admit) {
      const next = { ...saved, provider: "safenet" as const, otpServiceUrl: defaults.otpServiceUrl, tmsUrl: defaults.tmsUrl };
      await saveMfaSettings(db, next, ACTOR);
      const changes = (["provider", "otpServiceUrl", "tmsUrl"] as const)
        .filter((f) => saved[f] !== next[f])
        .map((field) => ({ field, before: saved[field], after: next[field] }));
      await recordEvent(db, { type: "break-glass.reset-safenet", kind: "settings", actor: ACTOR, result: "success", detail: { changes } });
      return [
        `SafeNet settings reset to this installation's defaults (${changes.length} changed):`,
        `  provider         SafeNet`,
        `  OTP Service URL  ${next.otpServiceUrl}`,
        `  TMS Web API URL  ${next.tmsUrl}`,
        "The next sign-in uses them; no restart is needed.",
      ].join("\n");
    }
    const user = await directoryUser(saved.tmsUrl, saved.userRepository, admit.upn);
    const grant = await grantAdmission(db, user.upn, admit.minutes);
    await recordEvent(db, {
      type: "break-glass.grant",
      kind: "admin",
      actor: ACTOR,
      user: grant.upn,
      result: "info",
      detail: { minutes: admit.minutes, expiresAt: grant.expiresAt },
    });
    return [
      `${grant.upn} may sign in to the admin console once, with the domain password alone, until ${new Date(grant.expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      "The grant is used by the first right password for that user, and shown in the admin console until then.",
    ].join("\n");
  } finally {
    await db.close();
  }
}

try {
  process.loadEnvFile(".env");
} catch {
  // No .env here: the environment says it all.
}
/** The database for the message, without a password; a malformed DATABASE_URL is its own message. */
async function databaseName(): Promise<string> {
  try {
    const { describeTarget, portalTarget } = await import("../db");
    return describeTarget(portalTarget());
  } catch {
    return "named by DATABASE_URL";
  }
}

main(process.argv.slice(2)).then(
  (report) => console.log(report),
  async (err: unknown) => {
    if (err instanceof Refusal) {
      console.error(err.message);
      process.exitCode = err.exitCode;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    console.error(
      /unable to open|does not exist|SQLITE_CANTOPEN|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|no such table|relation .* does not exist/i.test(message)
        ? `The portal database ${await databaseName()} cannot be opened: check DATA_DIR (or DATABASE_URL), or run npm start once to create it.`
        : message,
    );
    process.exitCode = 1;
  },
);
