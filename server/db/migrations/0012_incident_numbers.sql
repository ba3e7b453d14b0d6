-- SQLite cannot add a NOT NULL column without a default; every row gets its number below and
-- every new incident is given one explicitly (max + 1), so the default is never kept.
ALTER TABLE `incidents` ADD `number` integer NOT NULL DEFAULT 0;--> statement-breakpoint
UPDATE `incidents` SET `number` = (
  SELECT count(*) FROM `incidents` AS `earlier`
  WHERE `earlier`.`first_seen_at` < `incidents`.`first_seen_at`
    OR (`earlier`.`first_seen_at` = `incidents`.`first_seen_at` AND `earlier`.`rowid` <= `incidents`.`rowid`)
);--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_number` ON `incidents` (`number`);
