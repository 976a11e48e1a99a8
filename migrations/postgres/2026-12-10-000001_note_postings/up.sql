-- Case notes leave search_grams for posting lists (api/src/search/postings.rs): a note has
-- hundreds of grams, and a row for each would be hundreds of millions of rows at the
-- casework issue's scale. Each (kind, centre, gram) keeps the sequence numbers of the
-- entities indexed under it, in chunks keyed by their first number. Notes get their
-- number and postings when the server next starts (SQL cannot cut Chinese text).
CREATE TABLE search_postings (
    kind TEXT NOT NULL,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    gram TEXT NOT NULL,
    first_seq BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    seqs BYTEA NOT NULL,
    PRIMARY KEY (kind, centre_id, gram, first_seq)
);

-- The last sequence number given out per kind; its row is also what serialises writers
-- of the kind's postings.
CREATE TABLE search_sequences (
    kind TEXT PRIMARY KEY NOT NULL,
    last_seq BIGINT NOT NULL
);
INSERT INTO search_sequences (kind, last_seq) VALUES ('case_note', 0);

ALTER TABLE case_notes ADD COLUMN search_seq BIGINT;
CREATE UNIQUE INDEX case_notes_search_seq ON case_notes (search_seq);
UPDATE case_notes SET search_text = NULL;
DELETE FROM search_grams WHERE kind = 'case_note';
