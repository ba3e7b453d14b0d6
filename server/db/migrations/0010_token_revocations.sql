CREATE TABLE `token_revocations` (
	`jti` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `oauth_store` ADD `used_at` integer;
