CREATE TABLE `__new_domains` (
	`domain` text NOT NULL,
	`tenant` text NOT NULL,
	`service` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`token` text NOT NULL,
	`requested_by` text NOT NULL,
	`requester_name` text NOT NULL,
	`requester_email` text NOT NULL,
	`operation_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`last_checked_at` text,
	`last_error` text,
	`verified_at` text,
	`activated_at` text,
	PRIMARY KEY(`domain`, `tenant`)
);
--> statement-breakpoint
INSERT INTO `__new_domains` SELECT `domain`, `tenant`, `service`, `status`, `token`, `requested_by`, `requester_name`, `requester_email`, `operation_id`, `created_at`, `last_checked_at`, `last_error`, `verified_at`, `activated_at` FROM `domains`;--> statement-breakpoint
DROP TABLE `domains`;--> statement-breakpoint
ALTER TABLE `__new_domains` RENAME TO `domains`;--> statement-breakpoint
CREATE INDEX `domains_service` ON `domains` (`tenant`,`service`);
