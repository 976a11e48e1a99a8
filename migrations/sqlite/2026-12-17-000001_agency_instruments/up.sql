-- The agencies' own assessment instruments. A code belongs to one agency and never
-- names a built-in instrument; `version` is its latest, raised only from the version
-- read (so two uploads at once cannot both become the latest).
CREATE TABLE instruments (
    code TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX instruments_agency ON instruments (agency_id);

-- Every version as uploaded, kept for good: assessments given under one are scored
-- again from it.
CREATE TABLE instrument_versions (
    code TEXT NOT NULL REFERENCES instruments(code),
    version BIGINT NOT NULL,
    definition TEXT NOT NULL,
    added_by TEXT NOT NULL REFERENCES users(id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (code, version)
);
