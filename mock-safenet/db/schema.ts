import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { OTP_MODES, TOKEN_STATES } from "../../lib/safenet/contract/states";

// The simulator's own database. Secrets never appear here in the clear: seeds and mail are sealed
// under the master key (kept outside this file), PINs are peppered HMACs, passwords scrypt hashes.

export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const repositories = sqliteTable("repositories", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  kind: text("kind").notNull(),
  netbiosName: text("netbios_name").notNull(),
  // LDAP repositories (kind "LDAP"); null for the built-in directory. The bind password is sealed
  // under the master key like a seed; attributes is the JSON map {upn, displayName, email, groups}.
  url: text("url"),
  bindDn: text("bind_dn"),
  bindPasswordSealed: blob("bind_password_sealed", { mode: "buffer" }),
  baseDn: text("base_dn"),
  userFilter: text("user_filter"),
  attributes: text("attributes"),
  createdAt: integer("created_at"),
});

/** RADIUS clients ("auth nodes"): who may send Access-Requests, and the shared secret, sealed. */
export const authNodes = sqliteTable("auth_nodes", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  // Normalised: an address ("192.0.2.7", "2001:db8::1") or a CIDR block ("10.0.0.0/8").
  address: text("address").notNull(),
  requireMessageAuthenticator: integer("require_message_authenticator").notNull().default(1),
  secretSealed: blob("secret_sealed", { mode: "buffer" }).notNull(),
  createdAt: integer("created_at").notNull(),
});

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    repositoryId: integer("repository_id").notNull().references(() => repositories.id),
    upn: text("upn").notNull(),
    sam: text("sam").notNull(),
    displayName: text("display_name").notNull(),
    displayKey: text("display_key").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    safenetAccount: integer("safenet_account", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("users_repo_upn").on(t.repositoryId, t.upn),
    uniqueIndex("users_repo_sam").on(t.repositoryId, t.sam),
    index("users_repo_display").on(t.repositoryId, t.displayKey),
  ],
);

export const groups = sqliteTable(
  "groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    repositoryId: integer("repository_id").notNull().references(() => repositories.id),
    name: text("name").notNull(),
  },
  (t) => [uniqueIndex("groups_repo_name").on(t.repositoryId, t.name)],
);

export const userGroups = sqliteTable(
  "user_groups",
  {
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    groupId: integer("group_id").notNull().references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), index("user_groups_group").on(t.groupId)],
);

export const tokens = sqliteTable(
  "tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    serial: text("serial").notNull().unique(),
    type: text("type").notNull(),
    otpMode: text("otp_mode", { enum: OTP_MODES }).notNull(),
    otpLength: integer("otp_length").notNull(),
    timeStepSeconds: integer("time_step_seconds").notNull().default(30),
    algorithm: text("algorithm", { enum: ["SHA1", "SHA256", "SHA512"] }).notNull().default("SHA1"),
    state: text("state", { enum: TOKEN_STATES }).notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    seedSealed: blob("seed_sealed", { mode: "buffer" }).notNull(),
    pinSalt: blob("pin_salt", { mode: "buffer" }),
    pinHash: blob("pin_hash", { mode: "buffer" }),
    // Event tokens: the next counter expected. Time tokens: the last accepted step and the clock offset.
    counter: integer("counter").notNull().default(0),
    lastStep: integer("last_step"),
    driftSteps: integer("drift_steps").notNull().default(0),
    failCount: integer("fail_count").notNull().default(0),
    lockedUntil: integer("locked_until"),
    source: text("source", { enum: ["provisioned", "imported"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    activatedAt: integer("activated_at"),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("tokens_user").on(t.userId), index("tokens_state").on(t.state)],
);

/** A pending outer-window resynchronisation: the `state` a code-5 answer hands to the client. */
export const resyncStates = sqliteTable("resync_states", {
  id: text("id").primaryKey(),
  tokenId: integer("token_id").notNull().references(() => tokens.id, { onDelete: "cascade" }),
  matched: integer("matched").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

export const policy = sqliteTable("policy", {
  id: integer("id").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// No AUTOINCREMENT (and so no sqlite_sequence write per insert): rows are never deleted, so rowids
// still only grow. One secondary index only: each index is another page written by every validation;
// a type filter walks the id order instead.
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey(),
    at: integer("at").notNull(),
    type: text("type").notNull(),
    user: text("user"),
    serial: text("serial"),
    result: text("result").notNull(),
    code: integer("code"),
    reason: text("reason"),
    clientIp: text("client_ip"),
    detail: text("detail", { mode: "json" }),
  },
  (t) => [index("events_user").on(t.user, t.id)],
);

export const mailMessages = sqliteTable(
  "mail_messages",
  {
    id: text("id").primaryKey(),
    receivedAt: integer("received_at").notNull(),
    sender: text("sender").notNull(),
    // ",a@x,b@y," so that one recipient is found with LIKE without parsing JSON.
    recipients: text("recipients").notNull(),
    subject: text("subject").notNull(),
    // The Message-ID header as sent ("<…@…>"), so a sender finds the mail it sent; "" when it had none.
    messageId: text("message_id").notNull().default(""),
    attachments: text("attachments", { mode: "json" }).notNull(),
    sealed: blob("sealed", { mode: "buffer" }).notNull(),
  },
  (t) => [index("mail_received").on(t.receivedAt), index("mail_message_id").on(t.messageId)],
);
