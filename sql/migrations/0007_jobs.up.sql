-- 0007: the job queue. A runner claims a due job with SELECT ... FOR UPDATE
-- SKIP LOCKED (MariaDB 10.6+, MySQL 8.0+), marks it running with a lease
-- and an attempt number, and completes it only while it still holds that
-- attempt (a runner whose lease expired and was taken over cannot complete
-- it). A running job whose lease expired (its runner died or was killed
-- past its kind's timeout) is claimed again. idem_key makes an enqueue
-- idempotent: a second one with the same key is refused (NULL = none).
-- Indexes: the claim (state, run_at); running jobs are few, so the lease
-- check reads them through the state prefix of ix_jobs_finished, which
-- serves the purge of done jobs; the admin list's kind filter.
CREATE TABLE jobs (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    payload MEDIUMTEXT NOT NULL,
    idem_key VARCHAR(191) NULL DEFAULT NULL,
    state ENUM('queued', 'running', 'done', 'dead') NOT NULL DEFAULT 'queued',
    run_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    attempts INT UNSIGNED NOT NULL DEFAULT 0,
    max_attempts INT UNSIGNED NOT NULL DEFAULT 5,
    last_error VARCHAR(1000) NULL DEFAULT NULL,
    lease_expires_at TIMESTAMP(6) NULL DEFAULT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY uq_jobs_idem_key (idem_key),
    KEY ix_jobs_claim (state, run_at),
    KEY ix_jobs_finished (state, updated_at),
    KEY ix_jobs_kind (kind, id),
    CONSTRAINT ck_jobs_payload CHECK (JSON_VALID(payload)),
    CONSTRAINT ck_jobs_attempts CHECK (max_attempts BETWEEN 1 AND 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
