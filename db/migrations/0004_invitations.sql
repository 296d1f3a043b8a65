CREATE TABLE `invitations` (
	`id` integer PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`upn` text NOT NULL,
	`email` text NOT NULL,
	`invited_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`withdrawn_at` integer,
	`withdrawn_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token_hash` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_upn` ON `invitations` (`upn`,`created_at`);--> statement-breakpoint
CREATE INDEX `invitations_created` ON `invitations` (`created_at`,`id`);