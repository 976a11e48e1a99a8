DROP TRIGGER reach_stamp_held_changed ON held_cases;
DROP TRIGGER reach_stamp_held_removed ON held_cases;
DROP TRIGGER reach_stamp_held_added ON held_cases;
DROP FUNCTION reach_stamp_held_changed();
