-- 0001: database defaults. Every table is utf8mb4 (MariaDB's "utf8" is the
-- 3-byte utf8mb3); the strict sql_mode is set by the app on every connection
-- and checked at connect, because a server default cannot be relied on.
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
