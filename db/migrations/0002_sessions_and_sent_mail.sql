CREATE TABLE `portal_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`upn` text NOT NULL,
	`mfa` text NOT NULL,
	`is_admin` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`checked_at` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`step_up_at` integer,
	`ended_at` integer,
	`end_reason` text
);
--> statement-breakpoint
CREATE INDEX `portal_sessions_upn` ON `portal_sessions` (`upn`);--> statement-breakpoint
CREATE TABLE `sent_mails` (
	`id` integer PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`upn` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sent_mails_message_id` ON `sent_mails` (`message_id`);--> statement-breakpoint
CREATE INDEX `sent_mails_upn_at` ON `sent_mails` (`upn`,`sent_at`);