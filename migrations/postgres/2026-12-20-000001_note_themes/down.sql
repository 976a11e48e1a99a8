ALTER TABLE case_notes DROP COLUMN themes_lexicon;
DROP TABLE note_themes;
