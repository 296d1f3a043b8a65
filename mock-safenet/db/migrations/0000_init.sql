CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`user` text,
	`serial` text,
	`result` text NOT NULL,
	`code` integer,
	`reason` text,
	`client_ip` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `events_user` ON `events` (`user`,`id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`repository_id` integer NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`repository_id`) REFERENCES `repositories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_repo_name` ON `groups` (`repository_id`,`name`);--> statement-breakpoint
CREATE TABLE `mail_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL,
	`sender` text NOT NULL,
	`recipients` text NOT NULL,
	`subject` text NOT NULL,
	`attachments` text NOT NULL,
	`sealed` blob NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_received` ON `mail_messages` (`received_at`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `policy` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `repositories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`netbios_name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `repositories_name_unique` ON `repositories` (`name`);--> statement-breakpoint
CREATE TABLE `resync_states` (
	`id` text PRIMARY KEY NOT NULL,
	`token_id` integer NOT NULL,
	`matched` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`token_id`) REFERENCES `tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`serial` text NOT NULL,
	`type` text NOT NULL,
	`otp_mode` text NOT NULL,
	`otp_length` integer NOT NULL,
	`time_step_seconds` integer DEFAULT 30 NOT NULL,
	`algorithm` text DEFAULT 'SHA1' NOT NULL,
	`state` text NOT NULL,
	`user_id` integer,
	`seed_sealed` blob NOT NULL,
	`pin_salt` blob,
	`pin_hash` blob,
	`counter` integer DEFAULT 0 NOT NULL,
	`last_step` integer,
	`drift_steps` integer DEFAULT 0 NOT NULL,
	`fail_count` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`activated_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_serial_unique` ON `tokens` (`serial`);--> statement-breakpoint
CREATE INDEX `tokens_user` ON `tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `tokens_state` ON `tokens` (`state`);--> statement-breakpoint
CREATE TABLE `user_groups` (
	`user_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	PRIMARY KEY(`user_id`, `group_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_groups_group` ON `user_groups` (`group_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`repository_id` integer NOT NULL,
	`upn` text NOT NULL,
	`sam` text NOT NULL,
	`display_name` text NOT NULL,
	`display_key` text NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`safenet_account` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`repository_id`) REFERENCES `repositories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_repo_upn` ON `users` (`repository_id`,`upn`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_repo_sam` ON `users` (`repository_id`,`sam`);--> statement-breakpoint
CREATE INDEX `users_repo_display` ON `users` (`repository_id`,`display_key`);