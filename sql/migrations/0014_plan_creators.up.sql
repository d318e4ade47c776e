-- 0014: deleting an account no longer deletes what the account made for a
-- household. In 0012 households.created_by and meal_plan_entries.created_by
-- cascaded, so a creator deleting their account deleted the household with
-- every other member's shared entries and lists, and any member deleting
-- theirs deleted the household entries they had made. Now the reference is
-- cleared instead: a household without a creator is led by its
-- longest-standing member (the queries fall back to that member), and an
-- entry without a creator stays with its household, shown as made by
-- nobody (null).
ALTER TABLE households DROP FOREIGN KEY fk_households_creator;
ALTER TABLE households MODIFY created_by BIGINT UNSIGNED NULL,
    ADD CONSTRAINT fk_households_creator FOREIGN KEY (created_by) REFERENCES users (id)
        ON DELETE SET NULL;
ALTER TABLE meal_plan_entries DROP FOREIGN KEY fk_meal_plan_creator;
ALTER TABLE meal_plan_entries MODIFY created_by BIGINT UNSIGNED NULL,
    ADD CONSTRAINT fk_meal_plan_creator FOREIGN KEY (created_by) REFERENCES users (id)
        ON DELETE SET NULL;
