-- 0013 down: the export and import records.
DROP TABLE archive_transfers;
