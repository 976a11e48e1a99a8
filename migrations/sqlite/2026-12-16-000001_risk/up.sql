-- The risk indicator of each case as last read (FamilyLink's own, not an SWD score).
-- A write that changes what the indicator reads marks the case stale, in its own
-- transaction; the server reads stale cases again soon after, and open cases once a day,
-- since days without contact grow with time alone.
CREATE TABLE case_risks (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    score BIGINT NOT NULL,
    flagged BOOLEAN NOT NULL,
    -- The codes of the factors that counted, comma-joined, for lists and analytics.
    factors TEXT NOT NULL,
    open BOOLEAN NOT NULL,
    computed_at TIMESTAMP,
    stale BOOLEAN NOT NULL
);
CREATE INDEX case_risks_stale ON case_risks (case_id) WHERE stale;
CREATE INDEX case_risks_open ON case_risks (computed_at) WHERE open;
INSERT INTO case_risks (case_id, score, flagged, factors, open, computed_at, stale)
    SELECT id, 0, FALSE, '', state <> 'closed', NULL, TRUE FROM cases;

-- A flag raised when a case's indicator reached the threshold, with the factors as they
-- stood, and the supervisor's review of it. A dismissal keeps its reason, to measure the
-- rule's false alarms. A flag stands until the case no longer calls for it (cleared_at).
CREATE TABLE risk_flags (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    raised_at TIMESTAMP NOT NULL,
    score BIGINT NOT NULL,
    threshold BIGINT NOT NULL,
    -- The raised factors with their weights and evidence, as JSON.
    factors TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'dismissed')),
    dismissal_reason TEXT
        CHECK (dismissal_reason IN ('known_and_managed', 'not_at_risk', 'data_error', 'other')),
    review_note TEXT,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at TIMESTAMP,
    cleared_at TIMESTAMP,
    version BIGINT NOT NULL,
    CHECK ((status = 'new') = (reviewed_at IS NULL)),
    CHECK ((status = 'dismissed') = (dismissal_reason IS NOT NULL))
);
CREATE UNIQUE INDEX risk_flags_standing ON risk_flags (case_id) WHERE cleared_at IS NULL;
CREATE INDEX risk_flags_case ON risk_flags (case_id, raised_at);
