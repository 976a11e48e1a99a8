-- A user's reach stamp moves also when the cases they hold change, so that the numbers
-- of their notes, kept in memory for their note searches, are read again. New notes in
-- cases they hold need no stamp: note numbers are given out in order, and a note never
-- leaves its case, so what was numbered since a read is all that can be new.
CREATE TRIGGER reach_stamp_held_added AFTER INSERT ON held_cases
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_by_user();
CREATE TRIGGER reach_stamp_held_removed AFTER DELETE ON held_cases
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_by_user();
-- A case's every write moves its holders' `updated_at`, which decides nothing here: only
-- the users of rows that changed otherwise are stamped, in order, as elsewhere.
CREATE FUNCTION reach_stamp_held_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO reach_stamps (user_id, stamp)
    SELECT DISTINCT user_id, 1 FROM (
        (SELECT user_id, case_id, shared, centre_id FROM was
         EXCEPT SELECT user_id, case_id, shared, centre_id FROM now)
        UNION ALL
        (SELECT user_id, case_id, shared, centre_id FROM now
         EXCEPT SELECT user_id, case_id, shared, centre_id FROM was)
    ) AS moved
    ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET stamp = reach_stamps.stamp + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER reach_stamp_held_changed AFTER UPDATE ON held_cases
    REFERENCING OLD TABLE AS was NEW TABLE AS now
    FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_held_changed();
