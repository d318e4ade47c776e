-- The hostile account of `make bench` (tests/bench/bench.sh): one account
-- with 1,000 public recipes of 200 ingredient lines each (the API's
-- maximum), every line made of the commonest food words, so that before
-- migration 0006 each such word of an `ingredient` or `without` value
-- matched 200,000 ingredient rows. Run as the admin after gen-recipes.sql:
--     sh tests/support/mariadb.sh sql DIR < tests/bench/gen-hostile.sql
-- Written straight into the tables in the form recipebox writes them: the
-- rows, the JSON copy and the ingredient words (made as migration 0006's
-- backfill makes them). Recipe ids follow the generated ones (100,001 on).
-- Staging tables live in a scratch database, rbhostile, dropped at the end.
SET SESSION foreign_key_checks = 0;
SET SESSION unique_checks = 0;

DROP DATABASE IF EXISTS rbhostile;
CREATE DATABASE rbhostile CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE rbhostile;

INSERT INTO recipebox.users (username, username_norm, email, email_norm, display_name,
                             password_hash, role, status)
VALUES ('hostile', 'hostile', 'hostile@example.org', 'hostile@example.org', 'Hostile',
        '!bench-no-login', 'user', 'active');
SET @hostile = LAST_INSERT_ID();

CREATE TABLE ings (recipe INT, position INT, name VARCHAR(200), PRIMARY KEY (recipe, position))
SELECT r.seq AS recipe, k.seq AS position,
       CONCAT(ELT(1 + (r.seq + k.seq) % 20, 'sea salt', 'black pepper', 'olive oil',
                  'caster sugar', 'plain flour', 'unsalted butter', 'garlic cloves', 'onions',
                  'double cream', 'whole milk', 'eggs', 'chopped tomatoes', 'vegetable oil',
                  'ground cumin', 'fresh thyme', 'lemon juice', 'chicken stock', 'baby spinach',
                  'carrots', 'basmati rice'),
              ' with salt, pepper, oil, sugar, flour, butter, garlic, cream, milk, eggs, lemon, ',
              'chicken, tomatoes, onions and rice') AS name
FROM seq_1_to_1000 r JOIN seq_1_to_200 k;

CREATE TABLE ing_json (recipe INT PRIMARY KEY, j MEDIUMTEXT)
SELECT recipe, CONCAT('[', GROUP_CONCAT(CONCAT('{"section":null,"quantity":null,"unit":null,',
                                               '"name":', JSON_QUOTE(name), ',"note":null}')
                                        ORDER BY position SEPARATOR ','), ']') AS j
FROM ings GROUP BY recipe;

CREATE TABLE words (recipe INT PRIMARY KEY, w MEDIUMTEXT)
SELECT x.recipe, COALESCE((
    SELECT GROUP_CONCAT(DISTINCT j.word COLLATE utf8mb4_bin
                        ORDER BY j.word COLLATE utf8mb4_bin SEPARATOR ' ')
    FROM ings i,
         JSON_TABLE(CONCAT('["', REPLACE(TRIM(REGEXP_REPLACE(LOWER(i.name),
                        '[^0-9a-z_\\x{80}-\\x{10ffff}]+', ' ')), ' ', '","'), '"]'),
                    '$[*]' COLUMNS (word VARCHAR(200) PATH '$')) j
    WHERE i.recipe = x.recipe AND j.word <> ''), '') AS w
FROM ing_json x;

INSERT INTO recipebox.recipes (author_id, title, slug, description, prep_minutes, cook_minutes,
                               visibility, ingredients_json, steps_json, tags_json,
                               ingredient_words)
SELECT @hostile, CONCAT('Chicken garlic lemon rice ', j.recipe),
       CONCAT('chicken-garlic-lemon-rice-', j.recipe),
       'Chicken with garlic, lemon, salt, pepper, oil, butter, cream and rice.', 10, 20, 'public',
       j.j, '["Mix everything."]', '[]', w.w
FROM ing_json j JOIN words w ON w.recipe = j.recipe ORDER BY j.recipe;

CREATE TABLE ids (recipe INT PRIMARY KEY, id BIGINT UNSIGNED)
SELECT ROW_NUMBER() OVER (ORDER BY id) AS recipe, id
FROM recipebox.recipes WHERE author_id = @hostile;
INSERT INTO recipebox.recipe_ingredients (recipe_id, position, name)
SELECT i.id, h.position, h.name FROM ings h JOIN ids i ON i.recipe = h.recipe
ORDER BY i.id, h.position;
INSERT INTO recipebox.recipe_steps (recipe_id, position, body)
SELECT id, 1, 'Mix everything.' FROM ids;

DROP DATABASE rbhostile;
USE recipebox;
ANALYZE TABLE users, recipes, recipe_ingredients, recipe_steps;
