-- A household: the people a client lives with, each a client record, and what the
-- household is like. Its address is withheld with the phone on a sensitive case.
CREATE TABLE households (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    district TEXT NOT NULL,
    address TEXT NOT NULL,
    household_type TEXT NOT NULL,
    housing_type TEXT NOT NULL,
    cssa_status TEXT NOT NULL,
    cssa_case_type TEXT,
    income_band TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    updated_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX households_centre ON households (centre_id);

-- A person belongs to one household at a time (the partial unique index); a move ends
-- the old membership, which stays as history.
CREATE TABLE household_memberships (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    relationship TEXT NOT NULL,
    joined_on DATE NOT NULL,
    left_on DATE,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX household_memberships_present ON household_memberships (client_id) WHERE left_on IS NULL;
CREATE INDEX household_memberships_household ON household_memberships (household_id, client_id);
CREATE INDEX household_memberships_client ON household_memberships (client_id, joined_on);
