-- 0012: households, meal plans, calendar feeds and shopping lists.
-- A user belongs to at most one household (the primary key of
-- household_members), which keeps "who may see this" one join deep. A meal
-- plan entry or a shopping list belongs either to one user or to one
-- household, never both (the CHECKs): every member of that household reads
-- and edits it, nobody else does. Leaving a household leaves its plans and
-- lists with it.
CREATE TABLE households (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    created_by BIGINT UNSIGNED NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_households_creator (created_by),
    CONSTRAINT fk_households_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_households_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE household_members (
    user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    household_id BIGINT UNSIGNED NOT NULL,
    joined_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_household_members_household (household_id, user_id),
    CONSTRAINT fk_household_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_household_members_household FOREIGN KEY (household_id) REFERENCES households (id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE household_invites (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    household_id BIGINT UNSIGNED NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    invited_by BIGINT UNSIGNED NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY uq_household_invites (household_id, user_id),
    KEY ix_household_invites_user (user_id, id),
    CONSTRAINT fk_household_invites_household FOREIGN KEY (household_id) REFERENCES households (id)
        ON DELETE CASCADE,
    CONSTRAINT fk_household_invites_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_household_invites_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE meal_plan_entries (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NULL,
    household_id BIGINT UNSIGNED NULL,
    created_by BIGINT UNSIGNED NOT NULL,
    plan_date DATE NOT NULL,
    slot ENUM('breakfast', 'lunch', 'dinner', 'snack') NOT NULL,
    recipe_id BIGINT UNSIGNED NULL,
    note VARCHAR(500) NULL,
    servings SMALLINT UNSIGNED NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_meal_plan_user (user_id, plan_date, id),
    KEY ix_meal_plan_household (household_id, plan_date, id),
    KEY ix_meal_plan_recipe (recipe_id),
    CONSTRAINT fk_meal_plan_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_meal_plan_household FOREIGN KEY (household_id) REFERENCES households (id)
        ON DELETE CASCADE,
    CONSTRAINT fk_meal_plan_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_meal_plan_recipe FOREIGN KEY (recipe_id) REFERENCES recipes (id) ON DELETE CASCADE,
    CONSTRAINT ck_meal_plan_owner CHECK ((user_id IS NULL) <> (household_id IS NULL)),
    CONSTRAINT ck_meal_plan_what CHECK (recipe_id IS NOT NULL OR note IS NOT NULL),
    CONSTRAINT ck_meal_plan_servings CHECK (servings IS NULL OR servings BETWEEN 1 AND 1000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The calendar feed's URL holds a secret; only its SHA-256 is stored, and
-- revoking deletes the row.
CREATE TABLE calendar_feeds (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL,
    token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    last_used_at TIMESTAMP(6) NULL,
    UNIQUE KEY uq_calendar_feeds_hash (token_hash),
    KEY ix_calendar_feeds_user (user_id, id),
    CONSTRAINT fk_calendar_feeds_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE shopping_lists (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NULL,
    household_id BIGINT UNSIGNED NULL,
    created_by BIGINT UNSIGNED NOT NULL,
    name VARCHAR(100) NOT NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_shopping_lists_user (user_id, id),
    KEY ix_shopping_lists_household (household_id, id),
    CONSTRAINT fk_shopping_lists_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_shopping_lists_household FOREIGN KEY (household_id) REFERENCES households (id)
        ON DELETE CASCADE,
    CONSTRAINT fk_shopping_lists_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_shopping_lists_owner CHECK ((user_id IS NULL) <> (household_id IS NULL)),
    CONSTRAINT ck_shopping_lists_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One line per (normalised name, unit dimension): name_key and dimension
-- are what aggregation merges on; quantity is kept in the dimension's base
-- unit (g, ml) when unit names one the units table knows, else as given.
-- from_recipes is the JSON array of recipe ids the line came from.
CREATE TABLE shopping_items (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    list_id BIGINT UNSIGNED NOT NULL,
    name VARCHAR(200) NOT NULL,
    name_key VARCHAR(200) NOT NULL,
    dimension ENUM('count', 'mass', 'volume', 'other') NOT NULL DEFAULT 'other',
    quantity DECIMAL(14, 4) NULL,
    unit VARCHAR(32) NULL,
    checked TINYINT(1) NOT NULL DEFAULT 0,
    from_recipes VARCHAR(2000) NOT NULL DEFAULT '[]',
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ix_shopping_items_list (list_id, id),
    KEY ix_shopping_items_merge (list_id, name_key, dimension, unit),
    CONSTRAINT fk_shopping_items_list FOREIGN KEY (list_id) REFERENCES shopping_lists (id) ON DELETE CASCADE,
    CONSTRAINT ck_shopping_items_quantity CHECK (quantity IS NULL OR quantity > 0),
    CONSTRAINT ck_shopping_items_json CHECK (JSON_VALID(from_recipes))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
