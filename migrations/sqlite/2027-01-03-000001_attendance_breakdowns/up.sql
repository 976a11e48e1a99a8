-- Each mark carries what the statistics count it by: its session's start, its activity's
-- centre and kind, its unit's kind and the person's date of birth (their age band is
-- taken from it on the year's first day). So a year's attendance is counted from one
-- index, without joining each mark to its session, activity and person. The writer of a
-- mark writes them with it; these triggers carry a later change to every mark (a unit's
-- kind never changes). The defaults stand only until the rows are filled below.
ALTER TABLE attendance ADD COLUMN session_starts_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00';
ALTER TABLE attendance ADD COLUMN centre_id TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN activity_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN unit_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN date_of_birth DATE NOT NULL DEFAULT '2000-01-01';

UPDATE attendance SET session_starts_at = b.starts_at, centre_id = b.centre_id,
    activity_kind = b.kind, unit_kind = b.unit_kind
FROM (SELECT s.id, s.starts_at, a.centre_id, a.kind, u.kind AS unit_kind
      FROM activity_sessions s JOIN activities a ON a.id = s.activity_id
      JOIN units u ON u.id = a.unit_id) b
WHERE b.id = attendance.session_id;
UPDATE attendance SET date_of_birth = c.date_of_birth
FROM clients c WHERE c.id = attendance.client_id;

CREATE INDEX attendance_counted ON attendance (session_starts_at, status, centre_id,
    activity_kind, unit_kind, online, date_of_birth, client_id);

CREATE TRIGGER attendance_session_moved AFTER UPDATE OF starts_at ON activity_sessions
WHEN OLD.starts_at IS NOT NEW.starts_at BEGIN
    UPDATE attendance SET session_starts_at = NEW.starts_at WHERE session_id = NEW.id;
END;

CREATE TRIGGER attendance_activity_changed AFTER UPDATE OF centre_id, kind, unit_id ON activities
WHEN OLD.centre_id IS NOT NEW.centre_id OR OLD.kind IS NOT NEW.kind
    OR OLD.unit_id IS NOT NEW.unit_id BEGIN
    UPDATE attendance SET centre_id = NEW.centre_id, activity_kind = NEW.kind,
        unit_kind = (SELECT kind FROM units WHERE id = NEW.unit_id)
    WHERE session_id IN (SELECT id FROM activity_sessions WHERE activity_id = NEW.id);
END;

CREATE TRIGGER attendance_client_born AFTER UPDATE OF date_of_birth ON clients
WHEN OLD.date_of_birth IS NOT NEW.date_of_birth BEGIN
    UPDATE attendance SET date_of_birth = NEW.date_of_birth WHERE client_id = NEW.id;
END;
