DROP TABLE comments;
DROP TABLE favorites;
DROP TABLE ratings;
DROP TABLE recipe_tags;
DROP TABLE tags;
DROP TABLE recipe_steps;
DROP TABLE recipe_ingredients;
DROP TABLE recipes;
