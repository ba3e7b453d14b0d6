CREATE TABLE `domains` (
	`domain` text PRIMARY KEY NOT NULL,
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
	`activated_at` text
);
--> statement-breakpoint
CREATE INDEX `domains_service` ON `domains` (`tenant`,`service`);--> statement-breakpoint
CREATE TABLE `openclaw_intakes` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`tenant` text NOT NULL,
	`service` text NOT NULL,
	`settings` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE INDEX `openclaw_intakes_service` ON `openclaw_intakes` (`tenant`,`service`,`created_at`);--> statement-breakpoint
ALTER TABLE `operations` ADD `after_id` text;