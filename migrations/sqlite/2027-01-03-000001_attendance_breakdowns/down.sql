DROP TRIGGER attendance_client_born;
DROP TRIGGER attendance_activity_changed;
DROP TRIGGER attendance_session_moved;
DROP INDEX attendance_counted;
ALTER TABLE attendance DROP COLUMN date_of_birth;
ALTER TABLE attendance DROP COLUMN unit_kind;
ALTER TABLE attendance DROP COLUMN activity_kind;
ALTER TABLE attendance DROP COLUMN centre_id;
ALTER TABLE attendance DROP COLUMN session_starts_at;
