DROP TRIGGER reach_stamp_client_changed;
DROP TRIGGER reach_stamp_client_added;
DROP TRIGGER reach_stamp_reach_removed;
DROP TRIGGER reach_stamp_reach_changed;
DROP TRIGGER reach_stamp_reach_added;
DROP TABLE reach_stamps;
