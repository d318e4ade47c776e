ALTER TABLE recipes
    DROP CONSTRAINT ck_recipes_image,
    DROP KEY ix_recipes_image_key,
    DROP COLUMN image_json,
    DROP COLUMN image_key;
