CREATE TABLE `secrets` (
	`key` text PRIMARY KEY NOT NULL,
	`nonce` blob NOT NULL,
	`sealed` blob NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
