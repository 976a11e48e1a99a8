-- Two records of one person merged by a supervisor: the absorbed record stays as a
-- tombstone pointing to the survivor (clients.merged_into), out of every list and search;
-- its cases, memberships, note participations and enquiries move to the survivor. The
-- merge itself is kept, with its reason and what moved, to be explained on both records.
ALTER TABLE clients ADD COLUMN merged_into TEXT REFERENCES clients(id);
CREATE INDEX clients_merged_into ON clients (merged_into);

CREATE TABLE client_merges (
    id TEXT PRIMARY KEY,
    survivor_id TEXT NOT NULL REFERENCES clients(id),
    absorbed_id TEXT NOT NULL UNIQUE REFERENCES clients(id),
    reason TEXT NOT NULL,
    moved TEXT NOT NULL,
    merged_by TEXT NOT NULL REFERENCES users(id),
    merged_at TIMESTAMP NOT NULL
);
CREATE INDEX client_merges_survivor ON client_merges (survivor_id);
