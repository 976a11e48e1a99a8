-- Search over case notes through the gram index (api/src/search.rs, kind 'case_note',
-- under the centre of the note's case): search_text is the note's narrative and its
-- corrections' text, normalised as search terms are, and is what a candidate is checked
-- against. NULL until the note is indexed: notes written before this get their text and
-- grams when the server next starts (SQL cannot cut Chinese text).
ALTER TABLE case_notes ADD COLUMN search_text TEXT;
