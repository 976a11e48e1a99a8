-- A number per centre that moves whenever anything its calendar shows changes (a session,
-- an activity's titles or kind, its facilitators, a member of staff's name), so that the
-- server answers a calendar it answered before without reading it again. Kept by
-- triggers, so that no writer can forget it; once a statement, so that a bulk load does
-- not update one row thousands of times in a transaction.
CREATE TABLE calendar_stamps (
    centre_id TEXT PRIMARY KEY REFERENCES centres(id),
    stamp BIGINT NOT NULL
);
INSERT INTO calendar_stamps (centre_id, stamp) SELECT id, 1 FROM centres;

CREATE FUNCTION calendar_stamp_centre_added() RETURNS trigger AS $$
BEGIN
    INSERT INTO calendar_stamps (centre_id, stamp) SELECT id, 1 FROM changed;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER calendar_stamp_centre_added AFTER INSERT ON centres
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_centre_added();

-- The centres of the rows a statement added, changed or removed, by their `centre_id`.
CREATE FUNCTION calendar_stamp_by_centre() RETURNS trigger AS $$
BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1 WHERE centre_id IN (SELECT centre_id FROM changed);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
-- The same, by the activity the rows belong to.
CREATE FUNCTION calendar_stamp_by_activity() RETURNS trigger AS $$
BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1
    WHERE centre_id IN (SELECT a.centre_id FROM activities a JOIN changed c ON a.id = c.activity_id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE FUNCTION calendar_stamp_centre_moved() RETURNS trigger AS $$
BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1 WHERE centre_id IN (SELECT id FROM changed);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE FUNCTION calendar_stamp_all() RETURNS trigger AS $$
BEGIN
    UPDATE calendar_stamps SET stamp = stamp + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER calendar_stamp_centre_moved AFTER UPDATE ON centres
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_centre_moved();

CREATE TRIGGER calendar_stamp_session_added AFTER INSERT ON activity_sessions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_centre();
CREATE TRIGGER calendar_stamp_session_changed_from AFTER UPDATE ON activity_sessions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_centre();
CREATE TRIGGER calendar_stamp_session_changed_to AFTER UPDATE ON activity_sessions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_centre();
CREATE TRIGGER calendar_stamp_session_removed AFTER DELETE ON activity_sessions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_centre();

CREATE TRIGGER calendar_stamp_activity_changed_from AFTER UPDATE ON activities
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_centre();
CREATE TRIGGER calendar_stamp_activity_changed_to AFTER UPDATE ON activities
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_centre();

CREATE TRIGGER calendar_stamp_facilitator_added AFTER INSERT ON activity_facilitators
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_activity();
CREATE TRIGGER calendar_stamp_facilitator_changed_from AFTER UPDATE ON activity_facilitators
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_activity();
CREATE TRIGGER calendar_stamp_facilitator_changed_to AFTER UPDATE ON activity_facilitators
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_activity();
CREATE TRIGGER calendar_stamp_facilitator_removed AFTER DELETE ON activity_facilitators
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_by_activity();

-- A facilitator is shown by name, and may facilitate in any centre.
CREATE TRIGGER calendar_stamp_staff_renamed AFTER UPDATE OF display_name ON users
    FOR EACH STATEMENT EXECUTE FUNCTION calendar_stamp_all();
