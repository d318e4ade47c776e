-- 0002: a one-column table written only by the test routes
-- (POST /api/v1/_test/writes, enabled by [server] test_routes). The
-- durability fault test checks that every write acknowledged with 2xx
-- survives kill -9 of the database server. Empty in production.
CREATE TABLE test_writes (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token VARCHAR(64) NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY uq_test_writes_token (token)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
