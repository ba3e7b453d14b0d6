CREATE TABLE `web_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`user_agent` text DEFAULT '' NOT NULL,
	`ip` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `web_sessions_user` ON `web_sessions` (`user_id`);--> statement-breakpoint
-- The OAuth server now stores only hashes of secret ids: rows keyed by a clear token value
-- are dropped (their holders sign in and authorize again). SQLite has no SHA-256 to hash them.
DELETE FROM `oauth_store` WHERE `model` NOT IN ('Grant', 'Client', 'ReplayDetection', 'DeviceCode');
