import { bigint, bigserial, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

// The portal's database on PostgreSQL: the same tables and column names as db/schema.ts (SQLite),
// so one SQL text in db/queries serves both. Times are epoch milliseconds (bigint), flags are
// integer 0/1 and JSON is text, as on SQLite; ids are bigserial, so a copy can insert them as they are.
// Only drizzle-kit reads this file (npm run db:generate); the queries are SQL text.

const ms = (name: string) => bigint(name, { mode: "number" });

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: ms("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

export const exclusionRules = pgTable(
  "exclusion_rules",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    value: text("value").notNull(),
    label: text("label").notNull(),
    createdAt: ms("created_at").notNull(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [uniqueIndex("exclusion_rules_kind_value").on(t.kind, t.value)],
);

export const portalSessions = pgTable(
  "portal_sessions",
  {
    id: text("id").primaryKey(),
    upn: text("upn").notNull(),
    mfa: text("mfa").notNull(),
    isAdmin: integer("is_admin").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    checkedAt: ms("checked_at").notNull(),
    fingerprint: text("fingerprint").notNull(),
    stepUpAt: ms("step_up_at"),
    endedAt: ms("ended_at"),
    endReason: text("end_reason"),
  },
  (t) => [index("portal_sessions_upn").on(t.upn)],
);

export const sentMails = pgTable(
  "sent_mails",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    messageId: text("message_id").notNull(),
    upn: text("upn").notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    kind: text("kind").notNull(),
    sentAt: ms("sent_at").notNull(),
  },
  (t) => [uniqueIndex("sent_mails_message_id").on(t.messageId), index("sent_mails_upn_at").on(t.upn, t.sentAt)],
);

export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: ms("window_start").notNull(),
  blockedUntil: ms("blocked_until"),
});

export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ms("at").notNull(),
    source: text("source").notNull(),
    remoteId: bigint("remote_id", { mode: "number" }),
    type: text("type").notNull(),
    kind: text("kind").notNull(),
    actor: text("actor"),
    user: text("user"),
    serial: text("serial"),
    result: text("result").notNull(),
    code: integer("code"),
    reason: text("reason"),
    clientIp: text("client_ip"),
    detail: text("detail"),
  },
  (t) => [
    index("events_at").on(t.at, t.id),
    index("events_user_at").on(t.user, t.at),
    index("events_kind_at").on(t.kind, t.at),
    index("events_kind_result_at").on(t.kind, t.result, t.at),
    index("events_result_at").on(t.result, t.at),
    uniqueIndex("events_remote").on(t.source, t.remoteId),
  ],
);

export const validationHours = pgTable(
  "validation_hours",
  {
    hour: ms("hour").notNull(),
    result: text("result").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.result] })],
);

export const invitations = pgTable(
  "invitations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tokenHash: text("token_hash").notNull(),
    upn: text("upn").notNull(),
    email: text("email").notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    usedAt: ms("used_at"),
    withdrawnAt: ms("withdrawn_at"),
    withdrawnBy: text("withdrawn_by"),
  },
  (t) => [
    uniqueIndex("invitations_token_hash").on(t.tokenHash),
    index("invitations_upn").on(t.upn, t.createdAt),
    index("invitations_created").on(t.createdAt, t.id),
  ],
);
