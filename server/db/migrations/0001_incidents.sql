CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`alertname` text NOT NULL,
	`status` text DEFAULT 'firing' NOT NULL,
	`severity` text NOT NULL,
	`type` text NOT NULL,
	`tenant` text,
	`service` text,
	`summary` text NOT NULL,
	`labels` text NOT NULL,
	`annotations` text NOT NULL,
	`generator_url` text,
	`starts_at` text NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`occurrences` integer DEFAULT 1 NOT NULL,
	`evidence` text,
	`acknowledged_by` text,
	`acknowledged_at` text,
	`resolved_by` text,
	`resolved_at` text,
	`resolve_reason` text
);
--> statement-breakpoint
CREATE INDEX `incidents_fingerprint` ON `incidents` (`fingerprint`,`status`);--> statement-breakpoint
CREATE INDEX `incidents_tenant` ON `incidents` (`tenant`,`status`);--> statement-breakpoint
CREATE INDEX `incidents_seen` ON `incidents` (`last_seen_at`);