-- 0006: ingredient search over one row per recipe. Each `ingredient` or
-- `without` value was a FULLTEXT subquery over recipe_ingredients, one index
-- entry per ingredient row: one account's 1,000 recipes of 200 lines made
-- every common word match 200,000 rows, and five values took seconds (and
-- the server's time from everyone else). ingredient_words holds the distinct
-- words of a recipe's ingredient names (lower case, space-separated), so a
-- word matches at most one index entry per recipe, however many lines
-- repeat it; all the ingredient and without values of a search are one
-- boolean-mode MATCH on it. The server writes it with the ingredient rows,
-- in the same transaction (app/db/recipe_store.c). Nothing searches the
-- lines any more, so their FULLTEXT index goes: it only cost every write.
-- A word is a run of ASCII letters, digits and '_' and any non-ASCII
-- characters (InnoDB splits the rest again when indexing); the backfill
-- below makes the same words in the same (binary) order as the server,
-- except that LOWER() folds non-ASCII letters too (the index folds case
-- either way).
-- Adding a column to a table with a FULLTEXT index rebuilds it, and the
-- backfill reads every ingredient line: about 30 s for 100,000 recipes on
-- two busy cores. `recipebox migrate` waits up to an hour for one statement
-- (not [database] read_timeout, and without the workers' statement time
-- limit), so a large backfill is not cut short. Every step may be
-- run again (IF NOT EXISTS, and the backfill rewrites), so a run cut short
-- can simply be repeated.
-- a recipe's words fit easily (at most 200 names of 200 characters)
SET SESSION group_concat_max_len = 1048576;

ALTER TABLE recipes ADD COLUMN IF NOT EXISTS ingredient_words MEDIUMTEXT NOT NULL DEFAULT '';

-- one recipe at a time (a correlated subquery over its own lines): grouping
-- every line's words in one statement needed a temporary table of millions
-- of rows and took minutes where this takes seconds
UPDATE recipes r
SET r.ingredient_words = COALESCE((
    SELECT GROUP_CONCAT(DISTINCT j.word COLLATE utf8mb4_bin
                        ORDER BY j.word COLLATE utf8mb4_bin SEPARATOR ' ')
    FROM recipe_ingredients i,
         JSON_TABLE(CONCAT('["', REPLACE(TRIM(REGEXP_REPLACE(LOWER(i.name),
                        '[^0-9a-z_\\x{80}-\\x{10ffff}]+', ' ')), ' ', '","'), '"]'),
                    '$[*]' COLUMNS (word VARCHAR(200) PATH '$')) j
    WHERE i.recipe_id = r.id AND j.word <> ''), '');

ALTER TABLE recipes ADD FULLTEXT KEY IF NOT EXISTS ft_recipes_ingredients (ingredient_words);
ALTER TABLE recipe_ingredients DROP KEY IF EXISTS ft_ingredients_name;
