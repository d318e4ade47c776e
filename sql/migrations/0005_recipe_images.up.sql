-- 0005: a recipe's image. Files live in the media directory, named from a
-- random key (never from input): KEY-WIDTH.EXT, one per configured size and
-- format. image_json keeps what the representation needs (the key, the
-- original's size, the files with their sizes and types); URLs are made
-- from [media] url_prefix when answering, so the prefix can change.
-- `recipebox media gc` removes files whose key no row names.
ALTER TABLE recipes
    ADD COLUMN image_key CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL,
    ADD COLUMN image_json VARCHAR(2000) NULL DEFAULT NULL,
    ADD KEY ix_recipes_image_key (image_key),
    ADD CONSTRAINT ck_recipes_image CHECK (image_json IS NULL OR JSON_VALID(image_json));
