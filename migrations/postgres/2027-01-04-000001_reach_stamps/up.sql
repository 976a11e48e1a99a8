-- A number per user that moves whenever the clients their casework reaches may have
-- changed: a `case_reach` row of theirs added, changed or removed, or a client they
-- registered written. The server keeps a worker's reach in memory while it stands; it is
-- read with the request's session. Kept by triggers, so that no writer can forget it, in
-- its own table, so that no user row is locked by casework; the users of a statement are
-- taken in order, so that two writers never wait on each other's.
CREATE TABLE reach_stamps (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    stamp BIGINT NOT NULL
);

CREATE FUNCTION reach_stamp_by_user() RETURNS trigger AS $$
BEGIN
    INSERT INTO reach_stamps (user_id, stamp)
    SELECT DISTINCT user_id, 1 FROM changed ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET stamp = reach_stamps.stamp + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE FUNCTION reach_stamp_by_creator() RETURNS trigger AS $$
BEGIN
    INSERT INTO reach_stamps (user_id, stamp)
    SELECT DISTINCT created_by, 1 FROM changed ORDER BY created_by
    ON CONFLICT (user_id) DO UPDATE SET stamp = reach_stamps.stamp + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER reach_stamp_reach_added AFTER INSERT ON case_reach
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_by_user();
CREATE TRIGGER reach_stamp_reach_changed_from AFTER UPDATE ON case_reach
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_by_user();
CREATE TRIGGER reach_stamp_reach_changed_to AFTER UPDATE ON case_reach
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_by_user();
CREATE TRIGGER reach_stamp_reach_removed AFTER DELETE ON case_reach
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_by_user();

CREATE TRIGGER reach_stamp_client_added AFTER INSERT ON clients
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reach_stamp_by_creator();
-- Only what decides a reach: a row trigger, as a statement's cannot name its columns.
CREATE FUNCTION reach_stamp_client_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO reach_stamps (user_id, stamp)
    SELECT DISTINCT creator, 1 FROM (VALUES (OLD.created_by), (NEW.created_by)) AS c (creator)
    ORDER BY creator
    ON CONFLICT (user_id) DO UPDATE SET stamp = reach_stamps.stamp + 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER reach_stamp_client_changed
AFTER UPDATE OF created_by, centre_id, merged_into, search_seq ON clients FOR EACH ROW
WHEN (OLD.created_by IS DISTINCT FROM NEW.created_by OR OLD.centre_id IS DISTINCT FROM NEW.centre_id
    OR OLD.merged_into IS DISTINCT FROM NEW.merged_into OR OLD.search_seq IS DISTINCT FROM NEW.search_seq)
EXECUTE FUNCTION reach_stamp_client_changed();
