CREATE TABLE `incident_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` text NOT NULL,
	`time` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`stage` text NOT NULL,
	`actor` text NOT NULL,
	`via` text NOT NULL,
	`message` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incident_events_incident` ON `incident_events` (`incident_id`,`id`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `stage` text DEFAULT 'detect' NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `stage_reason` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `classification` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `analysis` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `proposal` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `verify_until` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `agent_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `notice` text;--> statement-breakpoint
CREATE INDEX `incidents_stage` ON `incidents` (`stage`);