import { z } from "zod";
import {
  createLdapRepositoryRequestSchema,
  DEFAULT_LDAP_ATTRIBUTES,
  type CreateLdapRepositoryRequest,
  type LdapAttributes,
  type patchLdapRepositoryRequestSchema,
  type RepositoryTestAnswer,
} from "@/lib/safenet/contract";
import type { ActionFailure } from "@/lib/forms/state";
import { ATTRIBUTE_FIELDS } from "./fields";

// The LDAP repository form: its fields with a sentence each, and the TMS bodies built from it. Pure
// (a "use server" file may only export async functions), so the unit tests read it too.

const contract = createLdapRepositoryRequestSchema.shape;

/** A text field checked by the contract's own rule, with the sentence an administrator can act on. */
const field = (rule: z.ZodType, message: string) =>
  z
    .string()
    .prefault("")
    .transform((v) => v.trim())
    .superRefine((v, ctx) => {
      if (!rule.safeParse(v).success) ctx.addIssue({ code: "custom", message });
    });

/** Empty means "Active Directory's name"; anything else must be an attribute name. */
const attribute = (key: keyof LdapAttributes) =>
  z
    .string()
    .prefault("")
    .transform((v) => v.trim() || DEFAULT_LDAP_ATTRIBUTES[key])
    .superRefine((v, ctx) => {
      if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(v)) ctx.addIssue({ code: "custom", message: "Enter an attribute name: a letter, then letters, digits or dashes." });
    });

export { ATTRIBUTE_FIELDS };

const directoryShape = {
  url: field(contract.url, "Enter the directory's address as ldap://host:port or ldaps://host:port, with nothing after the port."),
  bindDn: field(contract.bindDn, "Enter the DN SafeNet binds as to read the directory, for example cn=reader,dc=example,dc=com."),
  // Never trimmed: a password may start or end with a space.
  bindPassword: z.string().max(256, "Enter a bind password of at most 256 characters.").prefault(""),
  baseDn: field(contract.baseDn, "Enter the DN under which the users are, for example ou=people,dc=example,dc=com."),
  userFilter: z.string().trim().max(1024, "Enter a filter of at most 1024 characters, or leave it empty.").prefault(""),
  [ATTRIBUTE_FIELDS.upn]: attribute("upn"),
  [ATTRIBUTE_FIELDS.displayName]: attribute("displayName"),
  [ATTRIBUTE_FIELDS.email]: attribute("email"),
  [ATTRIBUTE_FIELDS.groups]: attribute("groups"),
  stepUpPasscode: z.string().prefault(""),
};

const repositoryName = field(contract.name, "Enter a name of up to 64 letters, digits, dots, dashes and underscores, starting with a letter or digit.");

export const addRepositorySchema = z.object({ name: repositoryName, ...directoryShape }).superRefine((f, ctx) => {
  if (f.bindPassword === "") ctx.addIssue({ code: "custom", path: ["bindPassword"], message: "Enter the bind password of that DN." });
});

/** An edit names the repository it changes (a hidden field); an empty bind password keeps the saved one. */
export const editRepositorySchema = z.object({ name: z.string().trim().min(1, "The repository is missing. Reload the page.").max(64).prefault(""), ...directoryShape });

/** Test connection: the add form (its name is not saved yet) or the edit form (the saved repository's name). */
export const testRepositorySchema = z.object({
  mode: z.enum(["add", "edit"], { error: "Reload the page and try again." }),
  name: z.string().trim().max(64).prefault(""),
  ...directoryShape,
});

export const removeRepositorySchema = z.object({ name: z.string().trim().min(1, "Choose the repository to remove.").max(64).prefault("") });

/** The fields a failed form shows again: never the bind password nor the passcode. */
export const ECHO = ["name", "url", "bindDn", "baseDn", "userFilter", ...Object.values(ATTRIBUTE_FIELDS)] as const;

type DirectoryForm = Omit<z.output<typeof testRepositorySchema>, "mode" | "name" | "stepUpPasscode">;

const attributesOf = (f: DirectoryForm): LdapAttributes => ({
  upn: f[ATTRIBUTE_FIELDS.upn],
  displayName: f[ATTRIBUTE_FIELDS.displayName],
  email: f[ATTRIBUTE_FIELDS.email],
  groups: f[ATTRIBUTE_FIELDS.groups],
});

export function createBody(f: DirectoryForm & { name: string }): CreateLdapRepositoryRequest {
  return {
    name: f.name,
    kind: "LDAP",
    url: f.url,
    bindDn: f.bindDn,
    bindPassword: f.bindPassword,
    baseDn: f.baseDn,
    ...(f.userFilter && { userFilter: f.userFilter }),
    attributes: attributesOf(f),
  };
}

/** A PATCH of every field the form holds; the bind password only when typed. */
export function patchBody(f: DirectoryForm): z.input<typeof patchLdapRepositoryRequestSchema> {
  return {
    url: f.url,
    bindDn: f.bindDn,
    baseDn: f.baseDn,
    ...(f.userFilter && { userFilter: f.userFilter }),
    ...(f.bindPassword && { bindPassword: f.bindPassword }),
    attributes: attributesOf(f),
  };
}

/** The directory a URL names, as `ldap://host:port` in lower case, or null when it is no LDAP URL. */
function ldapOrigin(text: string): string | null {
  try {
    const u = new URL(text.trim());
    if (u.protocol !== "ldap:" && u.protocol !== "ldaps:") return null;
    return `${u.protocol}//${u.hostname.toLowerCase()}:${u.port || (u.protocol === "ldap:" ? "389" : "636")}`;
  } catch {
    return null;
  }
}

/**
 * Whether an edit must bring the bind password again: the saved one goes only to the directory it
 * was saved for, so another server (or scheme, or port) needs it typed.
 */
export function needsBindPassword(savedUrl: string | undefined, typedUrl: string, bindPassword: string): boolean {
  if (bindPassword !== "") return false;
  const saved = ldapOrigin(savedUrl ?? "");
  return saved === null || saved !== ldapOrigin(typedUrl);
}

export const URL_NEEDS_PASSWORD = "The URL changed: enter the bind password again. The saved one goes only to the server it was saved for.";

export type TestState = { status: "idle" } | { status: "tested"; answer: RepositoryTestAnswer } | ActionFailure;
