-- 0011: collections (cookbooks): a named, ordered list of recipes owned by
-- one user, public, unlisted or private like a recipe. Membership rows keep
-- a position (1..n after a reorder; an added recipe goes after the last).
-- Positions are not UNIQUE: a reorder rewrites them all in one statement,
-- and the recipe id breaks a tie, so a page order is always total.
-- Who may see a member is decided per reader when it is read (a recipe that
-- turns private or hidden, or is deleted, drops out for those who cannot
-- see it), so nothing here changes when a recipe does.
CREATE TABLE collections (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    owner_id BIGINT UNSIGNED NOT NULL,
    name VARCHAR(100) NOT NULL,
    description VARCHAR(2000) NOT NULL DEFAULT '',
    visibility ENUM('public', 'unlisted', 'private') NOT NULL DEFAULT 'public',
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_collections_owner (owner_id, visibility, id),
    CONSTRAINT fk_collections_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_collections_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE collection_recipes (
    collection_id BIGINT UNSIGNED NOT NULL,
    recipe_id BIGINT UNSIGNED NOT NULL,
    position INT UNSIGNED NOT NULL,
    added_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (collection_id, recipe_id),
    KEY ix_collection_recipes_order (collection_id, position, recipe_id),
    KEY ix_collection_recipes_recipe (recipe_id),
    CONSTRAINT fk_collection_recipes_collection FOREIGN KEY (collection_id)
        REFERENCES collections (id) ON DELETE CASCADE,
    CONSTRAINT fk_collection_recipes_recipe FOREIGN KEY (recipe_id) REFERENCES recipes (id)
        ON DELETE CASCADE,
    CONSTRAINT ck_collection_recipes_position CHECK (position >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
