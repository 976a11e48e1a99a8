-- A worker's assessment of a concern about a child on a case (Cap. 650) and the decision
-- on it. recorded_by is the mandated reporter, whose identity few may see; a report
-- keeps to whom, when and its reference.
CREATE TABLE child_protection_concerns (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    child_id TEXT NOT NULL REFERENCES clients(id),
    harm_types TEXT NOT NULL,
    harm_level TEXT NOT NULL CHECK (harm_level IN ('serious_harm', 'real_risk')),
    grounds TEXT NOT NULL,
    identified_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL,
    decision TEXT CHECK (decision IN ('report', 'not_report')),
    reasons TEXT,
    reported_to TEXT CHECK (reported_to IN ('swd', 'police')),
    reported_at TIMESTAMP,
    reference_number TEXT,
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    version BIGINT NOT NULL,
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK ((decision = 'report') = (reported_to IS NOT NULL AND reported_at IS NOT NULL
        AND reference_number IS NOT NULL))
);
CREATE INDEX child_protection_case ON child_protection_concerns (case_id);
CREATE INDEX child_protection_child ON child_protection_concerns (child_id);
CREATE INDEX child_protection_undecided ON child_protection_concerns (decided_at, recorded_at);
