CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"source" text NOT NULL,
	"remote_id" bigint,
	"type" text NOT NULL,
	"kind" text NOT NULL,
	"actor" text,
	"user" text,
	"serial" text,
	"result" text NOT NULL,
	"code" integer,
	"reason" text,
	"client_ip" text,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "exclusion_rules" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"label" text NOT NULL,
	"created_at" bigint NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"upn" text NOT NULL,
	"email" text NOT NULL,
	"invited_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"withdrawn_at" bigint,
	"withdrawn_by" text
);
--> statement-breakpoint
CREATE TABLE "portal_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"upn" text NOT NULL,
	"mfa" text NOT NULL,
	"is_admin" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"checked_at" bigint NOT NULL,
	"fingerprint" text NOT NULL,
	"step_up_at" bigint,
	"ended_at" bigint,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "sent_mails" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"upn" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"sent_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_start" bigint NOT NULL,
	"blocked_until" bigint
);
--> statement-breakpoint
CREATE INDEX "events_at" ON "events" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "events_user_at" ON "events" USING btree ("user","at");--> statement-breakpoint
CREATE INDEX "events_kind_at" ON "events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "events_kind_result_at" ON "events" USING btree ("kind","result","at");--> statement-breakpoint
CREATE INDEX "events_result_at" ON "events" USING btree ("result","at");--> statement-breakpoint
CREATE UNIQUE INDEX "events_remote" ON "events" USING btree ("source","remote_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exclusion_rules_kind_value" ON "exclusion_rules" USING btree ("kind","value");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_hash" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invitations_upn" ON "invitations" USING btree ("upn","created_at");--> statement-breakpoint
CREATE INDEX "invitations_created" ON "invitations" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "portal_sessions_upn" ON "portal_sessions" USING btree ("upn");--> statement-breakpoint
CREATE UNIQUE INDEX "sent_mails_message_id" ON "sent_mails" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "sent_mails_upn_at" ON "sent_mails" USING btree ("upn","sent_at");