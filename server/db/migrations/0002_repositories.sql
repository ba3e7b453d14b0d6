CREATE TABLE `repositories` (
	`tenant` text NOT NULL,
	`full_name` text NOT NULL,
	`private` integer NOT NULL,
	`default_branch` text NOT NULL,
	`installation_id` integer NOT NULL,
	`service` text,
	`registered_by` text NOT NULL,
	`registered_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`tenant`, `full_name`)
);
