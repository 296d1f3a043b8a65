ALTER TABLE `mail_messages` ADD `message_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `mail_message_id` ON `mail_messages` (`message_id`);