CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`time` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`user_id` text NOT NULL,
	`client` text NOT NULL,
	`source_ip` text,
	`tool` text NOT NULL,
	`operation` text,
	`operation_id` text,
	`tenant` text,
	`params` text NOT NULL,
	`decision` text NOT NULL,
	`reason` text,
	`risk_level` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_time` ON `audit_events` (`time`);--> statement-breakpoint
CREATE INDEX `audit_tenant` ON `audit_events` (`tenant`,`time`);--> statement-breakpoint
CREATE TABLE `confirm_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`tool` text NOT NULL,
	`args_hash` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text
);
--> statement-breakpoint
CREATE TABLE `operation_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`operation_id` text NOT NULL,
	`time` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`level` text DEFAULT 'info' NOT NULL,
	`message` text NOT NULL,
	FOREIGN KEY (`operation_id`) REFERENCES `operations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `operation_logs_op` ON `operation_logs` (`operation_id`,`id`);--> statement-breakpoint
CREATE TABLE `operation_steps` (
	`operation_id` text NOT NULL,
	`idx` integer NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`message` text,
	`output` text,
	`started_at` text,
	`finished_at` text,
	PRIMARY KEY(`operation_id`, `idx`),
	FOREIGN KEY (`operation_id`) REFERENCES `operations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `operations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`workflow_name` text NOT NULL,
	`tenant` text,
	`service` text,
	`params` text NOT NULL,
	`requested_by` text NOT NULL,
	`requester_name` text NOT NULL,
	`requester_email` text NOT NULL,
	`client` text NOT NULL,
	`engine` text DEFAULT 'local' NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`message` text,
	`error` text,
	`result` text,
	`commit_sha` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`started_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operations_workflow_name_unique` ON `operations` (`workflow_name`);--> statement-breakpoint
CREATE INDEX `operations_status` ON `operations` (`status`);--> statement-breakpoint
CREATE INDEX `operations_tenant` ON `operations` (`tenant`,`created_at`);--> statement-breakpoint
CREATE INDEX `operations_created` ON `operations` (`created_at`);--> statement-breakpoint
CREATE TABLE `personal_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `personal_tokens_token_hash_unique` ON `personal_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `personal_tokens_user` ON `personal_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`email` text,
	`provider` text NOT NULL,
	`is_admin` integer DEFAULT false NOT NULL,
	`password_hash` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`last_seen_at` text
);
