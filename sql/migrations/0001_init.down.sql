-- 0001 down: the previous database default is not recorded, and utf8mb4 is
-- harmless to keep; nothing else was created.
DO 0;
