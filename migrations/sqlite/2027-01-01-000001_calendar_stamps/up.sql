-- A number per centre that moves whenever anything its calendar shows changes (a session,
-- an activity's titles or kind, its facilitators, a member of staff's name), so that the
-- server answers a calendar it answered before without reading it again. Kept by
-- triggers, so that no writer can forget it.
CREATE TABLE calendar_stamps (
    centre_id TEXT PRIMARY KEY REFERENCES centres(id),
    stamp BIGINT NOT NULL
);
INSERT INTO calendar_stamps (centre_id, stamp) SELECT id, 1 FROM centres;

CREATE TRIGGER calendar_stamp_centre_added AFTER INSERT ON centres BEGIN
    INSERT INTO calendar_stamps (centre_id, stamp) VALUES (NEW.id, 1);
END;
CREATE TRIGGER calendar_stamp_centre_moved AFTER UPDATE OF agency_id ON centres BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1 WHERE centre_id = NEW.id;
END;

CREATE TRIGGER calendar_stamp_session_added AFTER INSERT ON activity_sessions BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1 WHERE centre_id = NEW.centre_id;
END;
CREATE TRIGGER calendar_stamp_session_changed AFTER UPDATE ON activity_sessions BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1 WHERE centre_id IN (OLD.centre_id, NEW.centre_id);
END;
CREATE TRIGGER calendar_stamp_session_removed AFTER DELETE ON activity_sessions BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1 WHERE centre_id = OLD.centre_id;
END;

CREATE TRIGGER calendar_stamp_activity_changed AFTER UPDATE ON activities BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1 WHERE centre_id IN (OLD.centre_id, NEW.centre_id);
END;

CREATE TRIGGER calendar_stamp_facilitator_added AFTER INSERT ON activity_facilitators BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1
    WHERE centre_id = (SELECT centre_id FROM activities WHERE id = NEW.activity_id);
END;
CREATE TRIGGER calendar_stamp_facilitator_changed AFTER UPDATE ON activity_facilitators BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1
    WHERE centre_id IN (SELECT centre_id FROM activities WHERE id IN (OLD.activity_id, NEW.activity_id));
END;
CREATE TRIGGER calendar_stamp_facilitator_removed AFTER DELETE ON activity_facilitators BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1
    WHERE centre_id = (SELECT centre_id FROM activities WHERE id = OLD.activity_id);
END;

-- A facilitator is shown by name, and may facilitate in any centre.
CREATE TRIGGER calendar_stamp_staff_renamed AFTER UPDATE OF display_name ON users
WHEN OLD.display_name IS NOT NEW.display_name BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1;
END;
