-- A worker's note search reads the numbers of their cases' notes here alone, without the
-- notes' text.
CREATE INDEX case_notes_case_seq ON case_notes (case_id, search_seq);
