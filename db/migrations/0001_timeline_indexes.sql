CREATE INDEX `events_kind_result_at` ON `events` (`kind`,`result`,`at`);--> statement-breakpoint
CREATE INDEX `events_result_at` ON `events` (`result`,`at`);