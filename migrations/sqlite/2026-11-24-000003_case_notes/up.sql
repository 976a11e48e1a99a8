-- The contact log of a case. A note is edited only by its author within the edit
-- window; afterwards corrections are appended beside it, never written over it.
CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    contact_at TIMESTAMP NOT NULL,
    contact_type TEXT NOT NULL CHECK (contact_type IN (
        'office_interview', 'home_visit', 'phone', 'online_video',
        'collateral_contact', 'case_conference', 'supervision')),
    duration_minutes BIGINT NOT NULL,
    other_participants TEXT NOT NULL,
    narrative TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, contact_at);

-- The case's people who took part.
CREATE TABLE case_note_participants (
    note_id TEXT NOT NULL REFERENCES case_notes(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    PRIMARY KEY (note_id, client_id)
);
CREATE INDEX case_note_participants_client ON case_note_participants (client_id);

CREATE TABLE case_note_corrections (
    id TEXT PRIMARY KEY,
    note_id TEXT NOT NULL REFERENCES case_notes(id),
    narrative TEXT NOT NULL,
    reason TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_note_corrections_note ON case_note_corrections (note_id, created_at);
