-- A user's reach stamp moves also when the cases they hold change, so that the numbers
-- of their notes, kept in memory for their note searches, are read again. New notes in
-- cases they hold need no stamp: note numbers are given out in order, and a note never
-- leaves its case, so what was numbered since a read is all that can be new.
CREATE TRIGGER reach_stamp_held_added AFTER INSERT ON held_cases BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;
CREATE TRIGGER reach_stamp_held_changed
AFTER UPDATE OF user_id, case_id, shared, centre_id ON held_cases
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.case_id IS NOT NEW.case_id
    OR OLD.shared IS NOT NEW.shared OR OLD.centre_id IS NOT NEW.centre_id BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (OLD.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
    INSERT INTO reach_stamps (user_id, stamp) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;
CREATE TRIGGER reach_stamp_held_removed AFTER DELETE ON held_cases BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (OLD.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;
