DELETE FROM search_grams WHERE kind = 'case_note';
ALTER TABLE case_notes DROP COLUMN search_text;
