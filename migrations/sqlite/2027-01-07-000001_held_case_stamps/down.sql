DROP TRIGGER reach_stamp_held_removed;
DROP TRIGGER reach_stamp_held_changed;
DROP TRIGGER reach_stamp_held_added;
