import { bigint, bigserial, customType, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

// The simulator's database on PostgreSQL: the same tables and columns as schema.ts (SQLite), for
// drizzle-kit only; queries are `sql` text on `Sql` and run unchanged on both. Times are epoch
// milliseconds (bigint), flags 0/1 integers, JSON as text, sealed bytes bytea.

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
const ms = (name: string) => bigint(name, { mode: "number" });

export const meta = pgTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const repositories = pgTable("repositories", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  name: text("name").notNull().unique(),
  kind: text("kind").notNull(),
  netbiosName: text("netbios_name").notNull(),
  url: text("url"),
  bindDn: text("bind_dn"),
  bindPasswordSealed: bytea("bind_password_sealed"),
  baseDn: text("base_dn"),
  userFilter: text("user_filter"),
  attributes: text("attributes"),
  createdAt: ms("created_at"),
});

export const authNodes = pgTable("auth_nodes", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  address: text("address").notNull(),
  requireMessageAuthenticator: integer("require_message_authenticator").notNull().default(1),
  secretSealed: bytea("secret_sealed").notNull(),
  createdAt: ms("created_at").notNull(),
});

export const users = pgTable(
  "users",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    repositoryId: bigint("repository_id", { mode: "number" }).notNull().references(() => repositories.id),
    upn: text("upn").notNull(),
    sam: text("sam").notNull(),
    displayName: text("display_name").notNull(),
    displayKey: text("display_key").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    safenetAccount: integer("safenet_account").notNull().default(0),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("users_repo_upn").on(t.repositoryId, t.upn),
    uniqueIndex("users_repo_sam").on(t.repositoryId, t.sam),
    index("users_repo_display").on(t.repositoryId, t.displayKey),
  ],
);

export const groups = pgTable(
  "groups",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    repositoryId: bigint("repository_id", { mode: "number" }).notNull().references(() => repositories.id),
    name: text("name").notNull(),
  },
  (t) => [uniqueIndex("groups_repo_name").on(t.repositoryId, t.name)],
);

export const userGroups = pgTable(
  "user_groups",
  {
    userId: bigint("user_id", { mode: "number" }).notNull().references(() => users.id, { onDelete: "cascade" }),
    groupId: bigint("group_id", { mode: "number" }).notNull().references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), index("user_groups_group").on(t.groupId)],
);

export const tokens = pgTable(
  "tokens",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    serial: text("serial").notNull().unique(),
    type: text("type").notNull(),
    otpMode: text("otp_mode").notNull(),
    otpLength: integer("otp_length").notNull(),
    timeStepSeconds: integer("time_step_seconds").notNull().default(30),
    algorithm: text("algorithm").notNull().default("SHA1"),
    state: text("state").notNull(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id, { onDelete: "set null" }),
    seedSealed: bytea("seed_sealed").notNull(),
    pinSalt: bytea("pin_salt"),
    pinHash: bytea("pin_hash"),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    lastStep: bigint("last_step", { mode: "number" }),
    driftSteps: integer("drift_steps").notNull().default(0),
    failCount: integer("fail_count").notNull().default(0),
    lockedUntil: ms("locked_until"),
    source: text("source").notNull(),
    createdAt: ms("created_at").notNull(),
    activatedAt: ms("activated_at"),
    lastUsedAt: ms("last_used_at"),
  },
  (t) => [index("tokens_user").on(t.userId), index("tokens_state").on(t.state)],
);

export const resyncStates = pgTable("resync_states", {
  id: text("id").primaryKey(),
  tokenId: bigint("token_id", { mode: "number" }).notNull().references(() => tokens.id, { onDelete: "cascade" }),
  matched: bigint("matched", { mode: "number" }).notNull(),
  expiresAt: ms("expires_at").notNull(),
});

export const policy = pgTable("policy", {
  id: integer("id").primaryKey(),
  value: text("value").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ms("at").notNull(),
    type: text("type").notNull(),
    user: text("user"),
    serial: text("serial"),
    result: text("result").notNull(),
    code: integer("code"),
    reason: text("reason"),
    clientIp: text("client_ip"),
    detail: text("detail"),
  },
  (t) => [index("events_user").on(t.user, t.id)],
);

export const mailMessages = pgTable(
  "mail_messages",
  {
    id: text("id").primaryKey(),
    receivedAt: ms("received_at").notNull(),
    sender: text("sender").notNull(),
    recipients: text("recipients").notNull(),
    subject: text("subject").notNull(),
    messageId: text("message_id").notNull().default(""),
    attachments: text("attachments").notNull(),
    sealed: bytea("sealed").notNull(),
  },
  (t) => [index("mail_received").on(t.receivedAt), index("mail_message_id").on(t.messageId)],
);
