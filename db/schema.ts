import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// The portal's own database: settings, exclusion rules, sessions, sign-in throttling, sent mail,
// enrollment invitations and the event timeline. It never holds a token seed, PIN or password.

export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date()),
  updatedBy: text("updated_by"),
});

export const exclusionRules = sqliteTable(
  "exclusion_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["users", "clientIps", "macs", "gateways"] }).notNull(),
    value: text("value").notNull(),
    label: text("label").notNull(),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [uniqueIndex("exclusion_rules_kind_value").on(t.kind, t.value)],
);

/**
 * One row per portal session: the cookie carries only a random id whose SHA-256 is the key, so
 * sign-out, a token change anywhere or a lost admin right ends the session on the server.
 */
export const portalSessions = sqliteTable(
  "portal_sessions",
  {
    id: text("id").primaryKey(),
    upn: text("upn").notNull(),
    /** "pending": PIN + OTP due; "enroll": password only, no usable token; "done": password and PIN + OTP. */
    mfa: text("mfa", { enum: ["pending", "enroll", "done"] }).notNull(),
    isAdmin: integer("is_admin", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** When the user's tokens and groups were last read from SafeNet, and what they were. */
    checkedAt: integer("checked_at").notNull(),
    fingerprint: text("fingerprint").notNull(),
    /** The last PIN + OTP this session passed (sign-in or step-up), for changes that need a recent one. */
    stepUpAt: integer("step_up_at"),
    endedAt: integer("ended_at"),
    endReason: text("end_reason"),
  },
  (t) => [index("portal_sessions_upn").on(t.upn)],
);

/** What the portal mailed and for whom: the Demo mailbox shows a person only these. */
export const sentMails = sqliteTable(
  "sent_mails",
  {
    id: integer("id").primaryKey(),
    messageId: text("message_id").notNull(),
    upn: text("upn").notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    kind: text("kind").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [uniqueIndex("sent_mails_message_id").on(t.messageId), index("sent_mails_upn_at").on(t.upn, t.sentAt)],
);

/** Failed sign-ins per account and per client address, in a sliding window. */
export const signInThrottle = sqliteTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: integer("window_start").notNull(),
  blockedUntil: integer("blocked_until"),
});

/**
 * One timeline: the portal's own events and the simulator's, copied in by id (`remoteId`), so
 * one indexed query pages, filters and exports them all.
 */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey(),
    at: integer("at").notNull(),
    source: text("source", { enum: ["portal", "safenet"] }).notNull(),
    remoteId: integer("remote_id"),
    type: text("type").notNull(),
    kind: text("kind").notNull(),
    actor: text("actor"),
    user: text("user"),
    serial: text("serial"),
    result: text("result").notNull(),
    code: integer("code"),
    reason: text("reason"),
    clientIp: text("client_ip"),
    detail: text("detail", { mode: "json" }),
  },
  (t) => [
    index("events_at").on(t.at, t.id),
    index("events_user_at").on(t.user, t.at),
    index("events_kind_at").on(t.kind, t.at),
    // The chart reads kind + result + time from the index alone; a rare result needs its own.
    index("events_kind_result_at").on(t.kind, t.result, t.at),
    index("events_result_at").on(t.result, t.at),
    uniqueIndex("events_remote").on(t.source, t.remoteId),
  ],
);

/**
 * SafeNet validations (events of kind `validation`) counted per UTC hour and result, kept in the same
 * transaction that copies them into `events` (db/queries/timeline.ts), so the authentication chart
 * over days sums a few hundred rows instead of stepping through every validation in its index
 * (693 364 index entries for 30 days at 1 000 000 events). The events stay the record; this is a
 * count of them that the migration which made it filled from the rows already there.
 */
export const validationHours = sqliteTable(
  "validation_hours",
  {
    /** The hour's start, epoch milliseconds (a multiple of 3 600 000). */
    hour: integer("hour").notNull(),
    result: text("result").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.result] })],
);

/**
 * Enrollment invitations an administrator sent: the link's random token is never stored, only its
 * SHA-256, so a copy of the database cannot be turned into working links. A row is pending until
 * it is used by its user, withdrawn or past `expiresAt`.
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    upn: text("upn").notNull(),
    /** The address the directory held when the invitation was mailed. */
    email: text("email").notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    withdrawnAt: integer("withdrawn_at"),
    withdrawnBy: text("withdrawn_by"),
  },
  (t) => [
    uniqueIndex("invitations_token_hash").on(t.tokenHash),
    index("invitations_upn").on(t.upn, t.createdAt),
    index("invitations_created").on(t.createdAt, t.id),
  ],
);

export type Setting = typeof settings.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;
export type ExclusionRuleRow = typeof exclusionRules.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;
