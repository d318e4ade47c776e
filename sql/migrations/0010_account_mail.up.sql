-- 0010: what the mail flows need. Verified addresses, the comment
-- notification opt-out and its one-click unsubscribe key, single-use
-- account tokens (password reset, email verification; only their SHA-256 is
-- stored), invites, and the mark up to which a recipe's comments have been
-- mailed to its author (at most one mail per recipe per batch window).
ALTER TABLE users
    ADD COLUMN email_verified_at TIMESTAMP(6) NULL DEFAULT NULL,
    ADD COLUMN notify_comments TINYINT(1) NOT NULL DEFAULT 1,
    ADD COLUMN unsubscribe_key CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL,
    ADD UNIQUE KEY uq_users_unsubscribe (unsubscribe_key);

CREATE TABLE account_tokens (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    purpose ENUM('password_reset', 'verify_email') NOT NULL,
    -- verify_email: the address being confirmed (normalised); the token is
    -- void once the account's address is another
    email_norm VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    expires_at TIMESTAMP(6) NOT NULL,
    used_at TIMESTAMP(6) NULL DEFAULT NULL,
    UNIQUE KEY uq_account_tokens_hash (token_hash),
    KEY ix_account_tokens_user (user_id, purpose, created_at),
    CONSTRAINT fk_account_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE invites (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    email_norm VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    max_uses INT UNSIGNED NOT NULL DEFAULT 1,
    uses INT UNSIGNED NOT NULL DEFAULT 0,
    expires_at TIMESTAMP(6) NOT NULL,
    created_by BIGINT UNSIGNED NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    revoked_at TIMESTAMP(6) NULL DEFAULT NULL,
    UNIQUE KEY uq_invites_hash (token_hash),
    CONSTRAINT fk_invites_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE comment_notify_marks (
    recipe_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    mailed_until BIGINT UNSIGNED NOT NULL, -- the highest comment id mailed
    CONSTRAINT fk_notify_recipe FOREIGN KEY (recipe_id) REFERENCES recipes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
