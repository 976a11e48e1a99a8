-- A number per user that moves whenever the clients their casework reaches may have
-- changed: a `case_reach` row of theirs added, changed or removed, or a client they
-- registered written. The server keeps a worker's reach in memory while it stands; it is
-- read with the request's session. Kept by triggers, so that no writer can forget it.
CREATE TABLE reach_stamps (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    stamp BIGINT NOT NULL
);

CREATE TRIGGER reach_stamp_reach_added AFTER INSERT ON case_reach BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;
CREATE TRIGGER reach_stamp_reach_changed AFTER UPDATE ON case_reach BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (OLD.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
    INSERT INTO reach_stamps (user_id, stamp) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;
CREATE TRIGGER reach_stamp_reach_removed AFTER DELETE ON case_reach BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (OLD.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;

CREATE TRIGGER reach_stamp_client_added AFTER INSERT ON clients BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (NEW.created_by, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;
CREATE TRIGGER reach_stamp_client_changed
AFTER UPDATE OF created_by, centre_id, merged_into, search_seq ON clients
WHEN OLD.created_by IS NOT NEW.created_by OR OLD.centre_id IS NOT NEW.centre_id
    OR OLD.merged_into IS NOT NEW.merged_into OR OLD.search_seq IS NOT NEW.search_seq BEGIN
    INSERT INTO reach_stamps (user_id, stamp) VALUES (OLD.created_by, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
    INSERT INTO reach_stamps (user_id, stamp) VALUES (NEW.created_by, 1)
    ON CONFLICT (user_id) DO UPDATE SET stamp = stamp + 1;
END;
