-- Back to the list indexes of 0004, led by listed.
ALTER TABLE recipes
    DROP KEY ix_recipes_top,
    DROP KEY ix_recipes_favorited,
    DROP KEY ix_recipes_minutes,
    ADD KEY ix_recipes_new (listed, id),
    ADD KEY ix_recipes_top (listed, rating_rank, id),
    ADD KEY ix_recipes_favorited (listed, favorite_count, id),
    ADD KEY ix_recipes_minutes (listed, total_minutes, id);
