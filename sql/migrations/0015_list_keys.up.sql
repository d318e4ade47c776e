-- 0015: the public lists' indexes no longer begin with `listed`. With
-- (listed, id), (listed, rating_rank, id) ... a page after a cursor,
-- "listed = 1 AND (key, id) < (cursor)", could be read two ways on the same
-- index: a range over (listed, key, id) that starts at the cursor, or a ref
-- on listed = 1 alone that starts at the top and filters its way down to it.
-- InnoDB estimates both at about half the table, so MariaDB took the ref now
-- and then (a plan chosen per execution), and page 500 of a 1,000,000-recipe
-- list read 10,000 entries (and rows) instead of 20: 60 ms to 1.7 s instead
-- of 2 ms (docs/perf.md, "Scale"). Keyed on the sort key first, with listed
-- last (still read from the index alone), no ref on listed exists: a page
-- is always a range from its cursor. The newest-first list walks the
-- primary key, checking listed in the row it reads anyway.
ALTER TABLE recipes
    DROP KEY ix_recipes_new,
    DROP KEY ix_recipes_top,
    DROP KEY ix_recipes_favorited,
    DROP KEY ix_recipes_minutes,
    ADD KEY ix_recipes_top (rating_rank, id, listed),
    ADD KEY ix_recipes_favorited (favorite_count, id, listed),
    ADD KEY ix_recipes_minutes (total_minutes, id, listed);
