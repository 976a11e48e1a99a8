-- The cases each user holds or, to read only, was shared, with what a case list sorts and
-- narrows by: the case's centre and when it last changed. A worker's case list and note
-- search are then one index range, not a lookup of every case they hold. Written with
-- `case_reach` (cases::store::refresh_reach); the centre and time follow the case by
-- trigger, so that no writer can forget them.
CREATE TABLE held_cases (
    user_id TEXT NOT NULL REFERENCES users(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    shared BOOLEAN NOT NULL,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, case_id)
);
CREATE INDEX held_cases_case ON held_cases (case_id);
CREATE INDEX held_cases_user ON held_cases (user_id, centre_id, shared, updated_at, case_id);

INSERT INTO held_cases (user_id, case_id, shared, centre_id, updated_at)
SELECT DISTINCT r.user_id, r.case_id, r.shared, c.centre_id, c.updated_at
FROM case_reach r JOIN cases c ON c.id = r.case_id;

CREATE TRIGGER held_cases_case_changed AFTER UPDATE OF centre_id, updated_at ON cases
WHEN OLD.centre_id IS NOT NEW.centre_id OR OLD.updated_at IS NOT NEW.updated_at BEGIN
    UPDATE held_cases SET centre_id = NEW.centre_id, updated_at = NEW.updated_at
    WHERE case_id = NEW.id;
END;
