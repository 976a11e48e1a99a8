ALTER TABLE courses DROP COLUMN titles_folded;
