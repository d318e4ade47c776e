DROP TABLE collection_recipes;
DROP TABLE collections;
