DROP INDEX case_notes_search_seq;
ALTER TABLE case_notes DROP COLUMN search_seq;
UPDATE case_notes SET search_text = NULL;
DROP TABLE search_sequences;
DROP TABLE search_postings;
