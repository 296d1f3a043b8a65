CREATE TABLE "auth_nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"require_message_authenticator" integer DEFAULT 1 NOT NULL,
	"secret_sealed" "bytea" NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "auth_nodes_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "url" text;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "bind_dn" text;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "bind_password_sealed" "bytea";--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "base_dn" text;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "user_filter" text;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "attributes" text;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "created_at" bigint;