-- 0008: two-factor authentication (TOTP) and recent authentication.
-- The TOTP secret is stored sealed (AES-256-GCM under [auth] secret_key,
-- see docs/security.md): a dump of this table alone does not reveal it.
-- last_step is the last time step a code was accepted for: a code of the
-- same or an older step is a replay and is refused. Recovery codes and the
-- login's MFA tokens are stored as SHA-256 only.
CREATE TABLE mfa_totp (
    user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    secret_sealed VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    enabled TINYINT(1) NOT NULL DEFAULT 0,
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    enabled_at TIMESTAMP(6) NULL,
    CONSTRAINT fk_mfa_totp_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- No AUTO_INCREMENT id: the ten rows come from one INSERT ... SELECT FROM
-- JSON_TABLE, which MariaDB 10.11 can fail with error 1467 ("Failed to read
-- auto-increment value") when two accounts confirm at once.
CREATE TABLE mfa_recovery_codes (
    user_id BIGINT UNSIGNED NOT NULL,
    code_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    used_at TIMESTAMP(6) NULL,
    PRIMARY KEY (user_id, code_hash),
    CONSTRAINT fk_mfa_recovery_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The second step of a login: issued when the password was right, good for
-- five minutes and one use.
CREATE TABLE mfa_tokens (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY uq_mfa_tokens (token_hash),
    KEY ix_mfa_tokens_created (created_at),
    CONSTRAINT fk_mfa_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When the session's owner last proved who they are (login, MFA step or
-- POST /auth/reauth): sensitive changes need it recent.
ALTER TABLE sessions ADD COLUMN authenticated_at TIMESTAMP(6) NOT NULL
    DEFAULT CURRENT_TIMESTAMP(6) AFTER last_seen_at;
