ALTER TABLE `users` ADD `deactivated_at` text;
