-- The levels a centre agreed with SWD for a financial year (by the year it starts), one
-- per output or outcome standard; the agreement's wording varies by centre, so these are
-- data, never constants.
CREATE TABLE service_standards (
    centre_id TEXT NOT NULL REFERENCES centres(id),
    financial_year BIGINT NOT NULL,
    indicator TEXT NOT NULL,
    agreed_level BIGINT NOT NULL CHECK (agreed_level >= 0),
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (centre_id, financial_year, indicator)
);

-- A statistics workbook asked for: built in the background, kept for its requester.
CREATE TABLE statistics_workbooks (
    id TEXT PRIMARY KEY,
    requested_by TEXT NOT NULL REFERENCES users(id),
    centre_id TEXT REFERENCES centres(id),
    agency_id TEXT REFERENCES agencies(id),
    financial_year BIGINT NOT NULL,
    quarter BIGINT,
    month BIGINT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'ready', 'failed')),
    progress BIGINT NOT NULL CHECK (progress BETWEEN 0 AND 100),
    file_name TEXT,
    file BYTEA,
    requested_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX statistics_workbooks_requester ON statistics_workbooks (requested_by, requested_at);

-- An event is a change from one state and centre to another: the statistics count
-- closures of open cases and moves between centres by what the case was before, so each
-- event keeps it (NULL for a case's first event).
ALTER TABLE case_events ADD COLUMN from_state TEXT
    CHECK (from_state IN ('enquiry', 'waiting', 'open', 'closed'));
ALTER TABLE case_events ADD COLUMN from_centre_id TEXT REFERENCES centres(id);
UPDATE case_events SET
    from_state = (SELECT p.state FROM case_events p
                  WHERE p.case_id = case_events.case_id AND p.seq = case_events.seq - 1),
    from_centre_id = (SELECT p.centre_id FROM case_events p
                      WHERE p.case_id = case_events.case_id AND p.seq = case_events.seq - 1);

-- The statistics read a case's state on a day from the open and waiting events before it.
CREATE INDEX case_events_state ON case_events (state, effective_on);
