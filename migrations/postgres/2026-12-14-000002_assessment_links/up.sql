-- A self-completion link: one family, one instrument, one use, until it expires. Only
-- the token's SHA-256 is kept, so the table cannot be used to answer for anyone.
CREATE TABLE assessment_links (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL REFERENCES clients(id),
    centre_id TEXT NOT NULL REFERENCES centres(id),
    case_id TEXT REFERENCES cases(id),
    activity_id TEXT REFERENCES activities(id),
    instrument TEXT NOT NULL,
    instrument_version BIGINT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('pre', 'mid', 'post', 'follow_up')),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    assessment_id TEXT REFERENCES assessments(id),
    CHECK ((case_id IS NULL) <> (activity_id IS NULL)),
    CHECK ((used_at IS NULL) = (assessment_id IS NULL))
);
CREATE INDEX assessment_links_client ON assessment_links (client_id);
