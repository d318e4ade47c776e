-- 0013: export and import records. One row per export or import a user
-- started: its state, counts for the progress view (GET /me/imports/{id},
-- GET /me/exports/{id}), the per-recipe errors of an import as a JSON array
-- of {entry, errors}, and the file it works on (an uploaded archive, or a
-- built export) under [archive] dir by a random name, never a name from
-- input. Rows go with their owner. The index serves "this user's newest
-- export" and the per-user lists.
CREATE TABLE archive_transfers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    owner_id BIGINT UNSIGNED NOT NULL,
    direction ENUM('export', 'import') NOT NULL,
    format ENUM('recipebox', 'mealie', 'tandoor', 'paprika') NOT NULL DEFAULT 'recipebox',
    state ENUM('queued', 'running', 'done', 'failed') NOT NULL DEFAULT 'queued',
    total INT UNSIGNED NOT NULL DEFAULT 0,
    processed INT UNSIGNED NOT NULL DEFAULT 0,
    succeeded INT UNSIGNED NOT NULL DEFAULT 0,
    failed INT UNSIGNED NOT NULL DEFAULT 0,
    errors MEDIUMTEXT NULL DEFAULT NULL,
    error VARCHAR(500) NULL DEFAULT NULL,
    file_name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL,
    file_bytes BIGINT UNSIGNED NULL DEFAULT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_archive_transfers_owner (owner_id, direction, id),
    CONSTRAINT fk_archive_transfers_owner FOREIGN KEY (owner_id) REFERENCES users (id)
        ON DELETE CASCADE,
    CONSTRAINT ck_archive_transfers_errors CHECK (errors IS NULL OR JSON_VALID(errors)),
    CONSTRAINT ck_archive_transfers_counts CHECK (processed <= total AND succeeded + failed <= processed)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
