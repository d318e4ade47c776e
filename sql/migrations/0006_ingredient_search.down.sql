-- the line index first: until it is back, nothing could search ingredients
ALTER TABLE recipe_ingredients ADD FULLTEXT KEY IF NOT EXISTS ft_ingredients_name (name);
ALTER TABLE recipes
    DROP KEY IF EXISTS ft_recipes_ingredients,
    DROP COLUMN IF EXISTS ingredient_words;
