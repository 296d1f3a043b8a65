CREATE TABLE `auth_nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`require_message_authenticator` integer DEFAULT 1 NOT NULL,
	`secret_sealed` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auth_nodes_name_unique` ON `auth_nodes` (`name`);--> statement-breakpoint
ALTER TABLE `repositories` ADD `url` text;--> statement-breakpoint
ALTER TABLE `repositories` ADD `bind_dn` text;--> statement-breakpoint
ALTER TABLE `repositories` ADD `bind_password_sealed` blob;--> statement-breakpoint
ALTER TABLE `repositories` ADD `base_dn` text;--> statement-breakpoint
ALTER TABLE `repositories` ADD `user_filter` text;--> statement-breakpoint
ALTER TABLE `repositories` ADD `attributes` text;--> statement-breakpoint
ALTER TABLE `repositories` ADD `created_at` integer;