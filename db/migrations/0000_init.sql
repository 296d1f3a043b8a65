CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`source` text NOT NULL,
	`remote_id` integer,
	`type` text NOT NULL,
	`kind` text NOT NULL,
	`actor` text,
	`user` text,
	`serial` text,
	`result` text NOT NULL,
	`code` integer,
	`reason` text,
	`client_ip` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `events_at` ON `events` (`at`,`id`);--> statement-breakpoint
CREATE INDEX `events_user_at` ON `events` (`user`,`at`);--> statement-breakpoint
CREATE INDEX `events_kind_at` ON `events` (`kind`,`at`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_remote` ON `events` (`source`,`remote_id`);--> statement-breakpoint
CREATE TABLE `exclusion_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exclusion_rules_kind_value` ON `exclusion_rules` (`kind`,`value`);--> statement-breakpoint
CREATE TABLE `session_versions` (
	`upn` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `sign_in_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_start` integer NOT NULL,
	`blocked_until` integer
);
