ALTER TABLE `operations` ADD `incarnation` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `incarnation` text;
