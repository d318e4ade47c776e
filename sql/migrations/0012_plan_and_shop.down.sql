DROP TABLE shopping_items;
DROP TABLE shopping_lists;
DROP TABLE calendar_feeds;
DROP TABLE meal_plan_entries;
DROP TABLE household_invites;
DROP TABLE household_members;
DROP TABLE households;
