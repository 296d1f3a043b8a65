CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"type" text NOT NULL,
	"user" text,
	"serial" text,
	"result" text NOT NULL,
	"code" integer,
	"reason" text,
	"client_ip" text,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"repository_id" bigint NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"received_at" bigint NOT NULL,
	"sender" text NOT NULL,
	"recipients" text NOT NULL,
	"subject" text NOT NULL,
	"message_id" text DEFAULT '' NOT NULL,
	"attachments" text NOT NULL,
	"sealed" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy" (
	"id" integer PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repositories" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"netbios_name" text NOT NULL,
	CONSTRAINT "repositories_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "resync_states" (
	"id" text PRIMARY KEY NOT NULL,
	"token_id" bigint NOT NULL,
	"matched" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"serial" text NOT NULL,
	"type" text NOT NULL,
	"otp_mode" text NOT NULL,
	"otp_length" integer NOT NULL,
	"time_step_seconds" integer DEFAULT 30 NOT NULL,
	"algorithm" text DEFAULT 'SHA1' NOT NULL,
	"state" text NOT NULL,
	"user_id" bigint,
	"seed_sealed" "bytea" NOT NULL,
	"pin_salt" "bytea",
	"pin_hash" "bytea",
	"counter" bigint DEFAULT 0 NOT NULL,
	"last_step" bigint,
	"drift_steps" integer DEFAULT 0 NOT NULL,
	"fail_count" integer DEFAULT 0 NOT NULL,
	"locked_until" bigint,
	"source" text NOT NULL,
	"created_at" bigint NOT NULL,
	"activated_at" bigint,
	"last_used_at" bigint,
	CONSTRAINT "tokens_serial_unique" UNIQUE("serial")
);
--> statement-breakpoint
CREATE TABLE "user_groups" (
	"user_id" bigint NOT NULL,
	"group_id" bigint NOT NULL,
	CONSTRAINT "user_groups_user_id_group_id_pk" PRIMARY KEY("user_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"repository_id" bigint NOT NULL,
	"upn" text NOT NULL,
	"sam" text NOT NULL,
	"display_name" text NOT NULL,
	"display_key" text NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"safenet_account" integer DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resync_states" ADD CONSTRAINT "resync_states_token_id_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_groups" ADD CONSTRAINT "user_groups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_groups" ADD CONSTRAINT "user_groups_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_user" ON "events" USING btree ("user","id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_repo_name" ON "groups" USING btree ("repository_id","name");--> statement-breakpoint
CREATE INDEX "mail_received" ON "mail_messages" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "mail_message_id" ON "mail_messages" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "tokens_user" ON "tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "tokens_state" ON "tokens" USING btree ("state");--> statement-breakpoint
CREATE INDEX "user_groups_group" ON "user_groups" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_repo_upn" ON "users" USING btree ("repository_id","upn");--> statement-breakpoint
CREATE UNIQUE INDEX "users_repo_sam" ON "users" USING btree ("repository_id","sam");--> statement-breakpoint
CREATE INDEX "users_repo_display" ON "users" USING btree ("repository_id","display_key");