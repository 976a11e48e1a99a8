-- Learning a worker did elsewhere, as they record it for their CPD: self-reported, with
-- a reflection and, once uploaded, their evidence (kept in the file store by its key).
-- Courses completed here count from their certificates and are not copied here.
CREATE TABLE external_learning (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    provider TEXT NOT NULL,
    kind TEXT NOT NULL,
    completed_on DATE NOT NULL,
    cpd_tenths BIGINT NOT NULL,
    reflection TEXT NOT NULL,
    evidence_key TEXT,
    evidence_name TEXT,
    evidence_type TEXT,
    evidence_bytes BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX external_learning_user ON external_learning (user_id, completed_on);
