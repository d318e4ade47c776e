-- Back to NOT NULL creators: a household or entry without one is given its
-- household's longest-standing member (an own entry its owner); what still
-- has none (a household nobody is in any more) is deleted.
UPDATE households h SET h.created_by = (SELECT m.user_id FROM household_members m
    WHERE m.household_id = h.id ORDER BY m.joined_at, m.user_id LIMIT 1)
    WHERE h.created_by IS NULL;
DELETE FROM households WHERE created_by IS NULL;
UPDATE meal_plan_entries e SET e.created_by = COALESCE(e.user_id, (SELECT m.user_id
    FROM household_members m WHERE m.household_id = e.household_id
    ORDER BY m.joined_at, m.user_id LIMIT 1))
    WHERE e.created_by IS NULL;
DELETE FROM meal_plan_entries WHERE created_by IS NULL;
ALTER TABLE meal_plan_entries DROP FOREIGN KEY fk_meal_plan_creator;
ALTER TABLE meal_plan_entries MODIFY created_by BIGINT UNSIGNED NOT NULL,
    ADD CONSTRAINT fk_meal_plan_creator FOREIGN KEY (created_by) REFERENCES users (id)
        ON DELETE CASCADE;
ALTER TABLE households DROP FOREIGN KEY fk_households_creator;
ALTER TABLE households MODIFY created_by BIGINT UNSIGNED NOT NULL,
    ADD CONSTRAINT fk_households_creator FOREIGN KEY (created_by) REFERENCES users (id)
        ON DELETE CASCADE;
