CREATE TABLE `oauth_store` (
	`model` text NOT NULL,
	`id` text NOT NULL,
	`payload` text NOT NULL,
	`grant_id` text,
	`uid` text,
	`user_code` text,
	`expires_at` integer,
	`consumed_at` integer,
	PRIMARY KEY(`model`, `id`)
);
--> statement-breakpoint
CREATE INDEX `oauth_store_grant` ON `oauth_store` (`grant_id`);--> statement-breakpoint
CREATE INDEX `oauth_store_uid` ON `oauth_store` (`uid`);--> statement-breakpoint
CREATE INDEX `oauth_store_expires` ON `oauth_store` (`expires_at`);--> statement-breakpoint
CREATE TABLE `setup_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`login` text,
	`is_admin` integer DEFAULT false NOT NULL,
	`groups` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text,
	`used_at` text
);
--> statement-breakpoint
CREATE TABLE `user_groups` (
	`user_id` text NOT NULL,
	`group` text NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`user_id`, `source`, `group`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
