-- An instrument answered by a client within a case or a group. The answers (JSON, by
-- item number) and the instrument's version are the record; the scores and alerts are
-- kept beside them, as the scoring gave them, for lists, outcomes and risk to query.
CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    centre_id TEXT NOT NULL REFERENCES centres(id),
    case_id TEXT REFERENCES cases(id),
    activity_id TEXT REFERENCES activities(id),
    instrument TEXT NOT NULL,
    instrument_version BIGINT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('pre', 'mid', 'post', 'follow_up')),
    administered_on DATE NOT NULL,
    -- NULL when the family answered by themselves through a link.
    administered_by TEXT REFERENCES users(id),
    answers TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((case_id IS NULL) <> (activity_id IS NULL))
);
CREATE INDEX assessments_client ON assessments (client_id, administered_on);
CREATE INDEX assessments_case ON assessments (case_id);
CREATE INDEX assessments_activity ON assessments (activity_id);

-- A scale's result: the score in thousandths (instruments round to at most three
-- decimals), so that both databases keep it exactly; NULL when too many items are missing.
CREATE TABLE assessment_scores (
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    scale TEXT NOT NULL,
    raw BIGINT NOT NULL,
    score_milli BIGINT,
    band TEXT,
    severity BIGINT CHECK (severity BETWEEN 0 AND 4),
    prorated BOOLEAN NOT NULL,
    PRIMARY KEY (assessment_id, scale)
);

CREATE TABLE assessment_alerts (
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    alert TEXT NOT NULL,
    PRIMARY KEY (assessment_id, alert)
);
